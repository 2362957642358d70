//! `ContainerSpec::dynamic_ports`: set when `defaultPort` or `requiredPorts` (or one of its
//! items) is only known at runtime, so codegen does not narrow `.port(n)` to an incomplete list.

use lunora_parser::parse_containers;

fn dynamic_ports(fields: &str) -> bool {
    let ts = format!(
        "import {{ defineContainer }} from \"@lunora/container\";\nconst env = {{}} as Record<string, string>;\nexport const app = defineContainer({{ image: \"./c/app\", enableInternet: false, {fields} }});\n"
    );
    let out = parse_containers(&ts, "lunora/containers.ts");
    assert!(
        !out.diagnostics.iter().any(|d| d.is_error()),
        "{:?}",
        out.diagnostics
    );
    out.containers[0].dynamic_ports
}

#[test]
fn static_ports_are_not_dynamic() {
    assert!(!dynamic_ports(
        "defaultPort: 8080, requiredPorts: [8080, 9090]"
    ));
    assert!(!dynamic_ports(""));
}

#[test]
fn a_dynamic_default_port_or_required_port_is() {
    assert!(dynamic_ports("defaultPort: Number(env.PORT)"));
    assert!(dynamic_ports(
        "defaultPort: 8080, requiredPorts: [8080, Number(env.ADMIN)]"
    ));
    assert!(dynamic_ports(
        "requiredPorts: env.PORTS as unknown as number[]"
    ));
}
