//! Shell words that may refer to a variable set by an earlier step (such as
//! the allocated node port), rendered to POSIX shell text by the `shlex`
//! library — never quoted by hand.

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
    /// A NUL byte cannot be passed to a program through a shell.
    #[error("argument {arg:?} contains a NUL byte, which no shell can pass")]
    Nul {
        /// The argument, as displayed.
        arg: String,
    },
}

impl Word {
    /// A word of literal text.
    pub fn lit(s: impl Into<String>) -> Word {
        Word(vec![Part::Lit(s.into())])
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

    /// The word as POSIX shell text.
    pub fn to_shell(&self) -> Result<String, ShellError> {
        if self.0.is_empty() {
            return Ok("''".into());
        }
        let mut out = String::new();
        for part in &self.0 {
            match part {
                Part::Lit(s) if s.is_empty() => {}
                Part::Lit(s) => {
                    let quoted = shlex::try_quote(s).map_err(|_| ShellError::Nul {
                        arg: self.display(),
                    })?;
                    out.push_str(&quoted);
                }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_words_are_quoted_by_shlex() {
        let w = Word::lit("{.spec.ports[?(@.name==\"https\")].nodePort}");
        assert_eq!(
            shlex::split(&w.to_shell().expect("no nul")),
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
            w.to_shell().expect("no nul"),
            "https://w1.example.com:\"${NODE_PORT}\"/v2/_catalog"
        );
        assert_eq!(
            w.display(),
            "https://w1.example.com:${NODE_PORT}/v2/_catalog"
        );
    }

    #[test]
    fn nul_is_an_error_not_a_panic() {
        assert!(Word::lit("a\0b").to_shell().is_err());
    }
}
