//! The one way msr-expose writes shell text. Every command it prints — the
//! steps and their script, the certificate plans, the `next:` hints and the
//! fixes that are commands — is built here from words, and every literal is
//! quoted by the `shlex` library, never by hand.
//!
//! # The contract
//!
//! A value that [`check`] accepts reaches the command as exactly one
//! argument, byte for byte, in bash, zsh and POSIX sh (dash), whether the
//! text is run as a file or pasted into an interactive shell, typed or as a
//! bracketed paste:
//! - literals are left bare only when made of `A-Z a-z 0-9 + - . / : @ ] _`
//!   and otherwise single-quoted (a `'`, `\`, `!` or `^` alone in double
//!   quotes), so no expansion applies: parameters, commands, arithmetic,
//!   globbing (zsh's `?`, `*`, `[` included), tildes (bash's `a=~` too),
//!   braces, zsh's `=word`, and the history expansion `!` of interactive
//!   bash and zsh (shlex's quoting notes);
//! - a variable is `"${NAME}"`, one word whatever it holds; a variable set
//!   from a command's output is `NAME=$(…)`, which no shell splits or globs,
//!   and which keeps the command's single quotes in force for bash's
//!   history expansion (in `"$(…)"` it would not be);
//! - what [`check`] refuses is refused with a finding naming the field: a
//!   control character (a newline or tab, which a paste turns into another
//!   command or a completion; a NUL, which no argument can carry) — there
//!   is no quoting of those that survives a paste in all three shells;
//! - messages that a shell expands (`${VAR:?message}`) are plain words
//!   ([`guard`]), so no quote character meets bash's rule for quotes inside
//!   `"${…}"`;
//! - `printf '%s\n'` prints, never `echo` (dash's `echo` reads backslashes).
//!
//! `tests/integration/shell_safety.rs` holds the shells to this: every
//! script read by `bash -n`, `dash -n` and `zsh -n`, run in the three with
//! stub commands that record their argv, every step pasted into interactive
//! bash and zsh through a pty, and hostile values fed into every input.

use serde::Serialize;

/// A piece of one shell word.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Part {
    /// Literal text, quoted as needed.
    Lit(String),
    /// A shell variable set by an earlier step or by the operator, expanded
    /// inside double quotes so it stays one word.
    Var(&'static str),
}

/// One argument of a command, made of literal text and variables.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Word(pub Vec<Part>);

/// Why shell text could not be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ShellError {
    /// A control character (newline, tab, NUL, escape, …) has no quoting
    /// that survives a paste into every shell.
    #[error(
        "{arg:?} contains the control character {ch:?}, which no shell text carries safely (a paste turns it into another command or keystroke)"
    )]
    Control {
        /// The argument, as displayed.
        arg: String,
        /// The first control character in it.
        ch: char,
    },
    /// A message for `${VAR:?message}` with a character a shell would read.
    #[error(
        "the message {message:?} has the character {ch:?}, which a shell would expand or quote"
    )]
    Message {
        /// The message.
        message: String,
        /// The first character not allowed.
        ch: char,
    },
}

/// Whether `value` can be written as shell text under the contract: `Err`
/// names its first control character.
pub fn check(value: &str) -> Result<(), ShellError> {
    match value.chars().find(|c| c.is_control()) {
        None => Ok(()),
        Some(ch) => Err(ShellError::Control {
            arg: value.to_string(),
            ch,
        }),
    }
}

/// One literal word as shell text.
pub fn quote(value: &str) -> Result<String, ShellError> {
    check(value)?;
    shlex::try_quote(value)
        .map(|q| q.into_owned())
        // `check` refused every NUL, the only thing shlex refuses.
        .map_err(|_| ShellError::Control {
            arg: value.to_string(),
            ch: '\0',
        })
}

impl Word {
    /// A word of literal text.
    pub fn lit(s: impl Into<String>) -> Word {
        Word(vec![Part::Lit(s.into())])
    }

    /// A word that is one variable.
    pub fn var(name: &'static str) -> Word {
        Word(vec![Part::Var(name)])
    }

    /// The word for display and for `argv`: variables as `${NAME}`.
    pub fn display(&self) -> String {
        self.0
            .iter()
            .map(|p| match p {
                Part::Lit(s) => s.clone(),
                Part::Var(v) => format!("${{{v}}}"),
            })
            .collect()
    }

    /// The word as shell text.
    pub fn to_shell(&self) -> Result<String, ShellError> {
        let mut out = String::new();
        for part in &self.0 {
            match part {
                Part::Lit(s) if s.is_empty() => {}
                Part::Lit(s) => out.push_str(&quote(s)?),
                Part::Var(v) => {
                    out.push_str("\"${");
                    out.push_str(v);
                    out.push_str("}\"");
                }
            }
        }
        if out.is_empty() {
            out.push_str("''");
        }
        Ok(out)
    }

    /// Whether any part is a variable.
    pub fn has_var(&self) -> bool {
        self.0.iter().any(|p| matches!(p, Part::Var(_)))
    }
}

/// Joins words into one shell command line.
pub fn join(words: &[Word]) -> Result<String, ShellError> {
    let parts: Result<Vec<String>, ShellError> = words.iter().map(Word::to_shell).collect();
    Ok(parts?.join(" "))
}

/// A command of literal words as one shell line, for hints such as
/// `next: msr-expose verify --url … --ca …`.
pub fn command<S: AsRef<str>>(words: &[S]) -> Result<String, ShellError> {
    let parts: Result<Vec<String>, ShellError> = words.iter().map(|w| quote(w.as_ref())).collect();
    Ok(parts?.join(" "))
}

/// Commands of literal words joined by `|`.
pub fn pipeline(commands: &[&[&str]]) -> Result<String, ShellError> {
    let parts: Result<Vec<String>, ShellError> = commands.iter().map(|c| command(c)).collect();
    Ok(parts?.join(" | "))
}

/// `VAR=$(command)`: the command's output in `var`, unsplit.
pub fn assign(var: &'static str, words: &[Word]) -> Result<String, ShellError> {
    Ok(format!("{var}=$({})", join(words)?))
}

/// `: "${VAR:?message}"`: stop with `message` when `var` is unset or
/// empty. The message is plain words — letters, digits, spaces and
/// `, . : / _ -` — since the three shells disagree on quotes inside `"${…}"`.
pub fn guard(var: &'static str, message: &str) -> Result<String, ShellError> {
    let plain = |c: char| c.is_ascii_alphanumeric() || " ,.:/_-".contains(c);
    if let Some(ch) = message.chars().find(|&c| !plain(c)) {
        return Err(ShellError::Message {
            message: message.to_string(),
            ch,
        });
    }
    Ok(format!(": \"${{{var}:?{message}}}\""))
}

/// `printf '%s\n' TEXT`: prints `text` as it is (never `echo`, which
/// reads backslashes in dash).
pub fn print(text: &str) -> Result<String, ShellError> {
    Ok(format!("printf '%s\\n' {}", quote(text)?))
}

/// The width past which [`Script::run`] continues a command on the next line.
pub const WIDTH: usize = 100;

/// A POSIX shell script, written line by line through this module: comments,
/// commands of words, guards, prints. It records every command's argv as
/// displayed, so tests compare what each command receives with what the
/// script says it runs. Writing never stops halfway: the first word that
/// cannot be written is kept and [`Script::finish`] returns it, so a
/// script is whole or not at all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Script {
    text: String,
    commands: Vec<Vec<String>>,
    error: Option<ShellError>,
}

impl Script {
    /// `#!/bin/sh`, the title as comments, then `set -eu`.
    pub fn new(title: &str) -> Script {
        let mut s = Script {
            text: String::from("#!/bin/sh\n"),
            ..Script::default()
        };
        s.comment(title);
        s.text.push_str("set -eu\n");
        s
    }

    /// Appends `line` and a line break, or keeps the first error.
    fn line(&mut self, line: Result<String, ShellError>) -> &mut Self {
        match line {
            Ok(l) => {
                self.text.push_str(&l);
                self.text.push('\n');
            }
            Err(e) => {
                self.error.get_or_insert(e);
            }
        }
        self
    }

    /// Comment lines: each line of `text` behind `# ` (control characters
    /// other than line breaks shown as `?`, so a comment stays a comment).
    pub fn comment(&mut self, text: &str) -> &mut Self {
        for line in text.lines() {
            self.text.push('#');
            if !line.is_empty() {
                self.text.push(' ');
                self.text
                    .extend(line.chars().map(|c| if c.is_control() { '?' } else { c }));
            }
            self.text.push('\n');
        }
        self
    }

    /// An empty line.
    pub fn blank(&mut self) -> &mut Self {
        self.text.push('\n');
        self
    }

    /// A command; a long one is continued over lines (` \` between words).
    pub fn run(&mut self, words: &[Word]) -> &mut Self {
        let quoted: Result<Vec<String>, ShellError> = words.iter().map(Word::to_shell).collect();
        self.commands
            .push(words.iter().map(Word::display).collect());
        self.line(quoted.map(|q| wrapped(&q)))
    }

    /// A command of literal words.
    pub fn run_lits(&mut self, words: &[&str]) -> &mut Self {
        let words: Vec<Word> = words.iter().map(|w| Word::lit(*w)).collect();
        self.run(&words)
    }

    /// A step's command as its builder wrote it through [`join`] or
    /// [`assign`] (`argv` as displayed), and with `sets` its value printed.
    pub fn step(&mut self, line: &str, argv: &[String], sets: Option<&'static str>) -> &mut Self {
        self.text.push_str(line);
        self.text.push('\n');
        if let Some(var) = sets {
            self.text
                .push_str(&format!("printf '%s\\n' \"{var}=${{{var}}}\"\n"));
        }
        self.commands.push(argv.to_vec());
        self
    }

    /// Lines of text into `file` (`printf '%s\n' LINE… > FILE`), a line
    /// of the file a line of the script.
    pub fn write_file(&mut self, file: &str, lines: &[&str]) -> &mut Self {
        let text = || -> Result<String, ShellError> {
            let mut t = String::from("printf '%s\\n'");
            for l in lines {
                t.push_str(" \\\n  ");
                t.push_str(&quote(l)?);
            }
            t.push_str(" \\\n  > ");
            t.push_str(&quote(file)?);
            Ok(t)
        };
        self.line(text())
    }

    /// Stops unless `var` is set ([`guard`]).
    pub fn require(&mut self, var: &'static str, message: &str) -> &mut Self {
        self.line(guard(var, message))
    }

    /// Prints `text` ([`print`]).
    pub fn say(&mut self, text: &str) -> &mut Self {
        self.line(print(text))
    }

    /// Stops, saying `FILE: message` on stderr, when any of `paths` exists
    /// (a dangling link too): nothing the script makes is ever written over
    /// a file already there.
    pub fn refuse_existing(&mut self, paths: &[&str], message: &str) -> &mut Self {
        let text = || -> Result<String, ShellError> {
            let mut words = vec!["for f in".to_string()];
            for p in paths {
                words.push(quote(p)?);
            }
            Ok(format!(
                "{}; do\n  if [ -e \"$f\" ] || [ -L \"$f\" ]; then printf '%s: %s\\n' \"$f\" {} >&2; exit 1; fi\ndone",
                wrapped(&words),
                quote(message)?
            ))
        };
        self.line(text())
    }

    /// Every command's argv, in order (variables as `${NAME}`).
    pub fn commands(&self) -> &[Vec<String>] {
        &self.commands
    }

    /// The script's text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The script's text, taken.
    pub fn into_text(self) -> String {
        self.text
    }

    /// The script, or the first word that could not be written.
    pub fn finish(self) -> Result<Script, ShellError> {
        match self.error {
            Some(e) => Err(e),
            None => Ok(self),
        }
    }
}

/// Words on one line up to [`WIDTH`], then ` \`, a line break and two
/// spaces — a continuation all three shells read as one command, run or
/// pasted. Lines break only before an option, so each option stays with
/// its values.
fn wrapped(quoted: &[String]) -> String {
    let mut groups: Vec<String> = Vec::new();
    for w in quoted {
        match groups.last_mut() {
            Some(g) if !w.starts_with('-') => {
                g.push(' ');
                g.push_str(w);
            }
            _ => groups.push(w.clone()),
        }
    }
    let mut out = String::new();
    let mut line = 0;
    for (i, g) in groups.iter().enumerate() {
        if i > 0 {
            if line + 1 + g.len() > WIDTH {
                out.push_str(" \\\n  ");
                line = 2;
            } else {
                out.push(' ');
                line += 1;
            }
        }
        out.push_str(g);
        line += g.len();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_words_are_quoted_by_shlex() {
        let w = Word::lit("{.spec.ports[?(@.name==\"https\")].nodePort}");
        assert_eq!(
            shlex::split(&w.to_shell().expect("no control")),
            Some(vec![w.display()])
        );
    }

    #[test]
    fn variables_stay_one_word() {
        let w = Word(vec![
            Part::Lit("https://w1.example.com:".into()),
            Part::Var("NODE_PORT"),
            Part::Lit("/v2/_catalog".into()),
        ]);
        assert_eq!(
            w.to_shell().expect("no control"),
            "https://w1.example.com:\"${NODE_PORT}\"/v2/_catalog"
        );
        assert_eq!(
            w.display(),
            "https://w1.example.com:${NODE_PORT}/v2/_catalog"
        );
    }

    /// Each row: a value, and why it must be quoted as it is.
    #[test]
    fn hostile_literals_are_quoted_against_every_expansion() {
        let rows: &[(&str, &str, &str)] = &[
            (
                "ca.pem';touch PWNED;'",
                r#""ca.pem';touch PWNED;'""#,
                "a quote ends nothing",
            ),
            (
                r"$'\x41'.pem",
                r#"'$'"'\\x41'.pem""#,
                "bash's $'…' is not read",
            ),
            ("a!b", "'a!b'", "history expansion: ! only in single quotes"),
            ("=ls", "'=ls'", "zsh's =word"),
            ("~root/x", "'~root/x'", "tilde"),
            (
                "--opt=~/x",
                "'--opt=~/x'",
                "bash's tilde after = in arguments",
            ),
            ("*.pem", "'*.pem'", "globbing"),
            ("{a,b}", "'{a,b}'", "brace expansion"),
            ("^x", "'^x'", "bash's quick substitution"),
            (r"a\b", r#""a\\b""#, "a backslash in double quotes, escaped"),
            (
                "ä.pem",
                "'ä.pem'",
                "non-ASCII is quoted (a locale's blanks)",
            ),
            ("ca.pem", "ca.pem", "plain words stay bare"),
        ];
        for (value, want, why) in rows {
            assert_eq!(quote(value).expect("quotable"), *want, "{why}");
            assert_eq!(
                shlex::split(want),
                Some(vec![value.to_string()]),
                "{why}: reads back"
            );
        }
    }

    #[test]
    fn control_characters_are_refused_not_quoted() {
        for v in [
            "a\nb",
            "a\tb",
            "a\0b",
            "a\x1b[2Jb",
            "a\rb",
            "a\u{7f}b",
            "a\u{85}b",
        ] {
            assert!(matches!(quote(v), Err(ShellError::Control { .. })), "{v:?}");
            assert!(Word::lit(v).to_shell().is_err(), "{v:?}");
        }
    }

    #[test]
    fn guard_messages_are_plain_words() {
        assert_eq!(
            guard(
                "MSR_USER",
                "set MSR_USER to the user name of an MSR administrator"
            )
            .expect("plain"),
            ": \"${MSR_USER:?set MSR_USER to the user name of an MSR administrator}\""
        );
        for bad in [
            "an administrator's name",
            "a \"name\"",
            "$HOME",
            "a}b",
            "a!b",
        ] {
            assert!(guard("X", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn scripts_record_what_they_run() {
        let mut s = Script::new("A test");
        s.run_lits(&["mkdir", "-p", "--", "-dir"]);
        s.step(
            &assign("PORT", &[Word::lit("kubectl"), Word::lit("get")]).expect("plain"),
            &["kubectl".into(), "get".into()],
            Some("PORT"),
        );
        assert_eq!(
            s.text(),
            "#!/bin/sh\n# A test\nset -eu\nmkdir -p -- -dir\nPORT=$(kubectl get)\nprintf '%s\\n' \"PORT=${PORT}\"\n"
        );
        assert_eq!(s.commands().len(), 2);
    }
}
