//! `entry_exports` tells what a module declares itself from what it imports: "declared here"
//! must mean a real declaration (ownership evidence and `generate`'s name check rely on it).
//! What broke: imports were listed among the declared names, and `declare class` counted too.

use lunora_parser::{entry_exports, NameOrigin};

const MODULE: &str = "import { Container as Base } from \"@cloudflare/containers\";\n\
import Default, * as ns from \"./lib\";\n\
import { FooContainer } from \"./foo\";\n\
declare class Ambient {}\n\
declare const AMBIENT: number;\n\
interface OnlyAType {}\n\
class Local extends Base {}\n\
export class Exported extends Base {}\n\
export const { a, b: [c] } = { a: 1, b: [2] };\n\
export { Local as Renamed, FooContainer };\n\
export { Bar as Baz } from \"./bar\";\n";

fn origin<'a>(origins: &'a [NameOrigin], name: &str) -> &'a NameOrigin {
    origins
        .iter()
        .find(|o| o.name == name)
        .unwrap_or_else(|| panic!("no origin for {name}: {origins:#?}"))
}

#[test]
fn imports_and_ambient_declarations_are_not_declared_names() {
    let x = entry_exports(MODULE, "src/index.ts").unwrap();
    assert_eq!(x.declared_names, ["Local", "Exported", "a", "c"]);
    assert_eq!(x.imported_names, ["Base", "Default", "ns", "FooContainer"]);
    let at = |o: &NameOrigin| &MODULE[o.span.start as usize..o.span.end as usize];

    let local = origin(&x.origins, "Local");
    assert_eq!(
        (local.from.as_deref(), at(local)),
        (None, "class Local extends Base {}")
    );
    let base = origin(&x.origins, "Base");
    assert_eq!(base.from.as_deref(), Some("@cloudflare/containers"));
    assert_eq!(base.imported.as_deref(), Some("Container"));
    assert_eq!(at(base), "Container as Base");
    assert_eq!(origin(&x.origins, "Default").imported, None);
    // A local alias takes the origin of what it names: a declaration here, located at the alias.
    let renamed = origin(&x.origins, "Renamed");
    assert_eq!(
        (renamed.from.as_deref(), at(renamed)),
        (None, "Local as Renamed")
    );
    // A named re-export: the exported name, the module and the name it has there.
    let baz = origin(&x.origins, "Baz");
    assert_eq!(baz.from.as_deref(), Some("./bar"));
    assert_eq!(baz.imported.as_deref(), Some("Bar"));
    assert_eq!(at(baz), "Bar as Baz");
    for ambient in ["Ambient", "AMBIENT", "OnlyAType"] {
        assert!(x.origins.iter().all(|o| o.name != ambient), "{ambient}");
    }
}
