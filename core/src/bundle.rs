//! Everything for one exposure in one place: the manifest, `steps.sh`, the
//! certificate plan, the clients' trust files (with the CA given) and a
//! short README saying what was chosen, the endpoint and the order of the
//! steps — for `generate --out-dir`, and for the page's "Download all" as a
//! tar archive. Nothing secret goes in: no key, only the CA's certificate.

use crate::certplan::{KeyType, openssl_plan};
use crate::codes::Code;
use crate::finding::Finding;
use crate::generate::Output;
use crate::validate::ValidSpec;

/// One file of the bundle.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct File {
    /// Relative path, `/`-separated.
    pub path: String,
    /// Its content.
    pub content: String,
    /// Whether it is a script to run.
    pub executable: bool,
}

/// The files, in a fixed order. `ca_pem`, when given, adds the clients'
/// trust files; without it they are described in the README only.
pub fn files(spec: &ValidSpec, out: &Output, ca_pem: Option<&str>) -> Result<Vec<File>, Finding> {
    let internal = |e: crate::shell::ShellError| {
        Finding::error(
            Code::OutputInternal,
            "spec",
            format!("msr-expose could not write the certificate plan: {e}"),
            "this is a bug in msr-expose; please report it with the spec",
        )
    };
    let file = |path: &str, content: String, executable| File {
        path: path.to_string(),
        content,
        executable,
    };
    let mut v = vec![
        file(&out.file_name, out.yaml.clone(), false),
        file("steps.sh", out.script.clone(), true),
        file(
            "cert-plan.sh",
            openssl_plan(spec, KeyType::P256, false).map_err(internal)?,
            true,
        ),
        file(
            "cert-plan-lab-ca.sh",
            openssl_plan(spec, KeyType::P256, true).map_err(internal)?,
            true,
        ),
    ];
    // The trust files are the CA as given: withheld while the CA has errors.
    let ca_withheld = out.withheld_by.contains(&"ca");
    let clients = match ca_pem.filter(|_| !ca_withheld) {
        Some(ca) => {
            let mut c: Vec<File> = crate::clients::files(spec, ca)?
                .into_iter()
                .map(|f| file(&f.out_path(), f.content, false))
                .collect();
            c.push(file(
                "clients/README.txt",
                crate::clients::readme(spec)?,
                false,
            ));
            c
        }
        None => Vec::new(),
    };
    let about = spec.method().about();
    let mut readme = format!(
        "# The MSR cache {ns}/{name}, exposed through {title}\n\n\
         {summary}.\n\n\
         Endpoint: {url}\n\n\
         ## Files\n\n\
         - `{manifest}`: the manifest (`kubectl apply --server-side --field-manager msr-expose -f {manifest}`)\n\
         - `steps.sh`: every step in order, with what each prints when all is well\n\
         - `cert-plan.sh`: the certificate this interface needs (key, request with the right SAN); send the request to your CA\n\
         - `cert-plan-lab-ca.sh`: the same with a small lab CA that signs it, for a lab without a CA\n",
        ns = spec.namespace,
        name = spec.name,
        title = about.title,
        summary = {
            let mut c = about.summary.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        },
        url = out.endpoint.url,
        manifest = out.file_name,
    );
    if ca_withheld {
        readme.push_str(
            "- the clients' trust files: withheld while the CA has errors (see the findings)\n",
        );
    } else if clients.is_empty() {
        readme.push_str("- the clients' trust files: add the CA (`--ca` with `generate --out-dir`) to get them\n");
    } else {
        readme.push_str("- `clients/`: the CA for docker, containerd and the containers tools, laid out as paths on a node (see clients/README.txt)\n");
    }
    readme.push_str("\n## Order\n\n");
    for (i, s) in out.steps.iter().enumerate() {
        let mark = if s.withheld.is_some() {
            " (withheld: see steps.sh)"
        } else {
            ""
        };
        readme.push_str(&format!("{}. {}{mark}\n", i + 1, s.title));
    }
    v.extend(clients);
    v.push(file("README.md", readme, false));
    Ok(v)
}

/// The files as one tar archive, written by the `tar` crate: ustar headers
/// (GNU long-name entries for a path ustar cannot hold), each file under
/// `dir/`, deterministic — owner root (0:0), time 0, mode 0644 or 0755.
/// Fails only for a path no tar header can carry (absolute, `..`), which
/// the bundle never makes.
pub fn tar(dir: &str, files: &[File]) -> Result<Vec<u8>, Finding> {
    let internal = |path: &str, e: std::io::Error| {
        Finding::error(
            Code::OutputInternal,
            "spec",
            format!("msr-expose could not put {path} into the archive: {e}"),
            "this is a bug in msr-expose; please report it with the spec",
        )
    };
    let mut archive = ::tar::Builder::new(Vec::new());
    for f in files {
        let path = format!("{dir}/{}", f.path);
        let mut header = ::tar::Header::new_ustar();
        header.set_entry_type(::tar::EntryType::Regular);
        header.set_mode(if f.executable { 0o755 } else { 0o644 });
        header.set_uid(0);
        header.set_gid(0);
        header.set_mtime(0);
        header.set_size(f.content.len() as u64);
        archive
            .append_data(&mut header, &path, f.content.as_bytes())
            .map_err(|e| internal(&path, e))?;
    }
    archive.into_inner().map_err(|e| internal(dir, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    /// Every entry read back by the `tar` crate's reader: (path, mode,
    /// uid, gid, mtime, content).
    fn read_back(archive: &[u8]) -> Vec<(String, u32, u64, u64, u64, String)> {
        let mut out = Vec::new();
        let mut a = ::tar::Archive::new(archive);
        for e in a.entries().expect("entries") {
            let mut e = e.expect("entry");
            let h = e.header().clone();
            let path = e.path().expect("path").to_string_lossy().into_owned();
            let mut content = String::new();
            e.read_to_string(&mut content).expect("content");
            out.push((
                path,
                h.mode().expect("mode"),
                h.uid().expect("uid"),
                h.gid().expect("gid"),
                h.mtime().expect("mtime"),
                content,
            ));
        }
        out
    }

    #[test]
    fn the_archive_reads_back_with_owner_root_and_time_zero() {
        let long = format!("{}/{}", "d".repeat(60), "f".repeat(90));
        let longer = format!("{}/{}", "e".repeat(200), "g".repeat(120));
        // (path, executable, content, reason)
        let cases = [
            (
                "a/b.txt",
                false,
                "hello\n",
                "a short path in the name field",
            ),
            (
                "steps.sh",
                true,
                "#!/bin/sh\n",
                "a script keeps its executable mode",
            ),
            (
                long.as_str(),
                false,
                "",
                "over 100 bytes: split into ustar's prefix",
            ),
            (
                longer.as_str(),
                false,
                "x",
                "no ustar split fits: a GNU long-name entry",
            ),
        ];
        let files: Vec<File> = cases
            .iter()
            .map(|(p, x, c, _)| File {
                path: p.to_string(),
                content: c.to_string(),
                executable: *x,
            })
            .collect();
        let t = tar("x", &files).expect("archive");
        assert_eq!(t.len() % 512, 0);
        assert_eq!(&t[257..262], b"ustar");
        let back = read_back(&t);
        assert_eq!(back.len(), cases.len());
        for ((path, exec, content, why), got) in cases.iter().zip(&back) {
            let mode = if *exec { 0o755 } else { 0o644 };
            let want = (format!("x/{path}"), mode, 0, 0, 0, content.to_string());
            assert_eq!(got, &want, "{why}");
        }
        assert_eq!(t, tar("x", &files).expect("archive"), "deterministic");
    }

    #[test]
    fn a_path_no_header_can_carry_is_a_finding_not_a_panic() {
        let files = [File {
            path: "../escape".into(),
            content: String::new(),
            executable: false,
        }];
        let e = tar("x", &files).err();
        assert_eq!(e.map(|f| f.code), Some(Code::OutputInternal));
    }
}
