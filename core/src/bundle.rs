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
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
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
    let clients = match ca_pem {
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
    let about = crate::method::about(spec.method());
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
    if clients.is_empty() {
        readme.push_str("- the clients' trust files: add the CA (`--ca` with `generate --out-dir`) to get them\n");
    } else {
        readme.push_str("- `clients/`: the CA for docker, containerd and the containers tools, laid out as paths on a node (see clients/README.txt)\n");
    }
    readme.push_str("\n## Order\n\n");
    for (i, s) in out.steps.iter().enumerate() {
        readme.push_str(&format!("{}. {}\n", i + 1, s.title));
    }
    v.extend(clients);
    v.push(file("README.md", readme, false));
    Ok(v)
}

/// The files as one ustar archive: deterministic (owner root, time 0), each
/// under `dir/`.
pub fn tar(dir: &str, files: &[File]) -> Vec<u8> {
    let mut out = Vec::new();
    for f in files {
        let path = format!("{dir}/{}", f.path);
        let (prefix, name) = split_path(&path);
        let mut h = [0u8; 512];
        put(&mut h[0..100], name.as_bytes());
        put(
            &mut h[100..108],
            if f.executable {
                b"0000755\0"
            } else {
                b"0000644\0"
            },
        );
        put(&mut h[108..116], b"0000000\0");
        put(&mut h[116..124], b"0000000\0");
        put(
            &mut h[124..136],
            format!("{:011o}\0", f.content.len()).as_bytes(),
        );
        put(&mut h[136..148], b"00000000000\0");
        h[156] = b'0';
        put(&mut h[257..263], b"ustar\0");
        put(&mut h[263..265], b"00");
        put(&mut h[345..500], prefix.as_bytes());
        h[148..156].copy_from_slice(b"        ");
        let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
        put(&mut h[148..156], format!("{sum:06o}\0 ").as_bytes());
        out.extend_from_slice(&h);
        out.extend_from_slice(f.content.as_bytes());
        out.resize(out.len().div_ceil(512) * 512, 0);
    }
    out.resize(out.len() + 1024, 0);
    out
}

/// ustar keeps names of up to 100 bytes, with a prefix of up to 155 split
/// off at a `/`.
fn split_path(path: &str) -> (&str, &str) {
    if path.len() <= 100 {
        return ("", path);
    }
    let cut = path
        .char_indices()
        .filter(|&(i, c)| c == '/' && i <= 155 && path.len() - i - 1 <= 100)
        .map(|(i, _)| i)
        .next();
    match cut {
        Some(i) => (&path[..i], &path[i + 1..]),
        None => ("", path),
    }
}

fn put(field: &mut [u8], bytes: &[u8]) {
    let n = bytes.len().min(field.len());
    field[..n].copy_from_slice(&bytes[..n]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tar_headers_are_ustar_with_checksums() {
        let files = [File {
            path: "a/b.txt".into(),
            content: "hello\n".into(),
            executable: false,
        }];
        let t = tar("x", &files);
        assert_eq!(t.len() % 512, 0);
        assert_eq!(&t[257..262], b"ustar");
        assert_eq!(&t[0..9], b"x/a/b.txt");
        let stored =
            u32::from_str_radix(std::str::from_utf8(&t[148..154]).unwrap_or("0"), 8).unwrap_or(0);
        let mut h = t[..512].to_vec();
        h[148..156].copy_from_slice(b"        ");
        assert_eq!(stored, h.iter().map(|&b| u32::from(b)).sum::<u32>());
        assert_eq!(&t[512..518], b"hello\n");
    }

    #[test]
    fn long_paths_use_the_prefix() {
        let long = format!("{}/{}", "d".repeat(60), "f".repeat(90));
        let (prefix, name) = split_path(&long);
        assert_eq!((prefix.len(), name.len()), (60, 90));
    }
}
