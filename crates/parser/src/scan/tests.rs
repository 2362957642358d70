use super::*;

fn depth_error(src: &str) -> Option<Excess> {
    scan(src, false).err().map(|e| e.what)
}

#[test]
fn ordinary_code_passes() {
    let src = r#"
import { defineContainer } from "@lunora/container";
const re = /[(\[{]/g, half = 1 / 2;
if (a < b) { x = `(${"(".repeat(3)}` } else if (c) /((/.test(y);
export default { fetch(req: Request): Promise<Response> { return new Response("(((") } };
"#;
    assert_eq!(scan(src, false), Ok(()));
}

#[test]
fn every_recursive_form_is_counted() {
    let n = MAX_NESTING as usize + 1;
    for src in [
        "()=>".repeat(n) + "1",
        "- ".repeat(n) + "1",
        "<any>".repeat(n) + "1",
        "!".repeat(n) + "1",
        "typeof ".repeat(n) + "1",
        "await ".repeat(n) + "1",
        "new ".repeat(n) + "X",
        "a?1:".repeat(n) + "1",
        "a=".repeat(n) + "1",
        "1".to_string() + &"**1".repeat(n),
        "if(a)".repeat(n) + "x;",
        "l:".repeat(n) + "x;",
        "`${".repeat(n) + &"}`".repeat(n),
    ] {
        assert_eq!(depth_error(&src), Some(Excess::Nesting), "{}", &src[..40]);
    }
    // Unclosed `<` cost speculation before they nest too deep.
    assert_eq!(
        depth_error(&("a<".repeat(n) + "1")),
        Some(Excess::Speculation)
    );
    let n = MAX_CHAIN as usize + 1;
    for src in [
        "a".to_string() + &".b".repeat(n),
        "1".to_string() + &"+1".repeat(n),
    ] {
        assert_eq!(depth_error(&src), Some(Excess::Chain), "{}", &src[..40]);
    }
}

#[test]
fn separators_end_pending_operators() {
    let n = MAX_NESTING as usize * 3;
    assert_eq!(scan(&"x = -1;\n".repeat(n), false), Ok(()));
    assert_eq!(scan(&"x = -1\n".repeat(n), false), Ok(()));
    assert_eq!(scan(&format!("[{}]", "-1,".repeat(n)), false), Ok(()));
    assert_eq!(scan(&"if (a) {} ".repeat(n), false), Ok(()));
    assert_eq!(scan(&"a.b()\n".repeat(MAX_CHAIN as usize), false), Ok(()));
}

#[test]
fn jsx_nesting_is_counted_in_jsx_files_only() {
    let n = MAX_NESTING as usize;
    let src = format!("x = {}{};", "<a>".repeat(n), "</a>".repeat(n));
    assert_eq!(scan(&src, true).map_err(|e| e.what), Err(Excess::Nesting));
    let shallow = "x = <a b=\"it's\" c={1}>don't {y} <b/></a>;\nz = 1 / 2;";
    assert_eq!(scan(shallow, true), Ok(()));
}

/// Real code stays far below the limits: the TypeScript compiler, wrangler's and miniflare's
/// bundles, workerd's worker, and the type declarations of the toolchain (tens of MB of
/// JavaScript and TypeScript from the repository's `node_modules`).
#[test]
fn real_code_stays_far_below_the_limits() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../node_modules");
    let files = [
        "typescript/lib/typescript.js",
        "typescript/lib/lib.dom.d.ts",
        "typescript/lib/lib.es5.d.ts",
        "wrangler/wrangler-dist/cli.js",
        "miniflare/dist/src/index.js",
        "workerd/worker.mjs",
        "@cloudflare/workers-types/index.d.ts",
        "@cloudflare/containers/dist/lib/container.js",
    ];
    let mut max = Peaks::default();
    for rel in files {
        let path = root.join(rel);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "{} ({e}); run `npm ci` in the repository root first",
                path.display()
            )
        });
        let peaks = scan_with_peaks(&text, false)
            .unwrap_or_else(|e| panic!("{rel}: {e:?} refused, but swc parses it"));
        max.nesting = max.nesting.max(peaks.nesting);
        max.chain = max.chain.max(peaks.chain);
        max.speculation = max.speculation.max(peaks.speculation);
    }
    eprintln!("peaks over real code: {max:?}");
    assert!(max.nesting * 4 < MAX_NESTING, "{max:?}");
    assert!(max.chain * 4 < MAX_CHAIN, "{max:?}");
    assert!(max.speculation * 4 < MAX_SPECULATION, "{max:?}");
}
