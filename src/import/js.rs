//! Other tools' JavaScript and TypeScript configuration, read statically: parsed with
//! `oxc_parser`, then the values that are plain data (objects, arrays, strings, numbers,
//! booleans, and the constants and functions of the same files that return them) turned into
//! JSON. Nothing is executed; what is not plain data becomes `null`. A call to a function the
//! files do not define (`defineConfig({…})`, `starlight({…})`) becomes
//! `{"$call": "name", "$args": [...]}`, so an adapter can find the options it wants.

use std::collections::HashMap;

use oxc_allocator::Allocator;
use oxc_ast::ast::{
    Argument, ArrayExpressionElement, ArrowFunctionBody, ArrowFunctionExpression, BindingPattern,
    Declaration, ExportDefaultDeclarationKind, Expression, Function, ObjectPropertyKind, Program,
    Statement,
};
use oxc_parser::Parser;
use oxc_span::SourceType;
use serde_json::{Map, Value};

/// How deep evaluation follows constants and function calls.
const MAX_DEPTH: usize = 32;

/// The default export (`export default …` or `module.exports = …`) of one file.
pub(crate) fn evaluate(text: &str, file_name: &str) -> Value {
    evaluate_files(&[(file_name.to_string(), text.to_string())])
        .into_iter()
        .next()
        .unwrap_or(Value::Null)
}

/// The default export of each file; names one file exports can be used by the others.
pub(crate) fn evaluate_files(files: &[(String, String)]) -> Vec<Value> {
    let mut globals: HashMap<String, Value> = HashMap::new();
    let mut exports = Vec::new();
    // Twice: the second round sees the names every file defined in the first.
    for _ in 0..2 {
        exports.clear();
        let mut defined = HashMap::new();
        for (name, text) in files {
            let allocator = Allocator::default();
            let source_type = SourceType::from_path(name).unwrap_or_else(|_| SourceType::ts());
            let parsed = Parser::new(&allocator, text, source_type).parse();
            let module = Module::new(&parsed.program, &globals);
            exports.push(module.default_export());
            defined.extend(module.all_bindings());
        }
        globals = defined;
    }
    exports
}

/// The first object (depth first) in `value` for which `wanted` holds.
pub(crate) fn find_object<'v>(
    value: &'v Value,
    wanted: &dyn Fn(&Map<String, Value>) -> bool,
) -> Option<&'v Map<String, Value>> {
    match value {
        Value::Object(map) => {
            if wanted(map) {
                return Some(map);
            }
            map.values().find_map(|v| find_object(v, wanted))
        }
        Value::Array(items) => items.iter().find_map(|v| find_object(v, wanted)),
        _ => None,
    }
}

/// The first call of `name` in `value`: its first argument.
pub(crate) fn find_call<'v>(value: &'v Value, name: &str) -> Option<&'v Value> {
    find_object(value, &|map| {
        map.get("$call").and_then(Value::as_str) == Some(name)
    })
    .and_then(|call| call.get("$args")?.get(0))
}

/// What a top-level name is bound to.
enum Binding<'p, 'a> {
    Expression(&'p Expression<'a>),
    Function(&'p Function<'a>),
}

struct Module<'p, 'a> {
    program: &'p Program<'a>,
    bindings: HashMap<String, Binding<'p, 'a>>,
    globals: &'p HashMap<String, Value>,
}

impl<'p, 'a> Module<'p, 'a> {
    fn new(program: &'p Program<'a>, globals: &'p HashMap<String, Value>) -> Self {
        let mut bindings = HashMap::new();
        for statement in &program.body {
            let declaration = match statement {
                Statement::ExportDeclaration(export) => Some(&export.declaration),
                other => other.as_declaration(),
            };
            match declaration {
                Some(Declaration::VariableDeclaration(variables)) => {
                    for declarator in &variables.declarations {
                        if let (Some(name), Some(init)) =
                            (binding_name(&declarator.id), &declarator.init)
                        {
                            bindings.insert(name, Binding::Expression(init));
                        }
                    }
                }
                Some(Declaration::FunctionDeclaration(function)) => {
                    if let Some(id) = &function.id {
                        bindings.insert(id.name.as_str().to_string(), Binding::Function(function));
                    }
                }
                _ => {}
            }
        }
        Self {
            program,
            bindings,
            globals,
        }
    }

    fn all_bindings(&self) -> Vec<(String, Value)> {
        self.bindings
            .iter()
            .map(|(name, binding)| {
                let value = match binding {
                    Binding::Expression(e) => self.value(e, &HashMap::new(), 0),
                    Binding::Function(f) => self.call_function(f, &[], 0),
                };
                (name.clone(), value)
            })
            .collect()
    }

    fn default_export(&self) -> Value {
        for statement in &self.program.body {
            match statement {
                Statement::ExportDefaultDeclaration(export) => {
                    return match &export.declaration {
                        ExportDefaultDeclarationKind::FunctionDeclaration(f) => {
                            self.call_function(f, &[], 0)
                        }
                        kind => kind
                            .as_expression()
                            .map(|e| self.value(e, &HashMap::new(), 0))
                            .unwrap_or(Value::Null),
                    };
                }
                Statement::ExpressionStatement(statement) => {
                    if let Expression::AssignmentExpression(assign) = &statement.expression
                        && let Some(target) = assign.left.as_member_expression()
                        && target.static_property_name() == Some("exports")
                    {
                        return self.value(&assign.right, &HashMap::new(), 0);
                    }
                }
                _ => {}
            }
        }
        Value::Null
    }

    fn lookup(&self, name: &str, locals: &HashMap<String, Value>, depth: usize) -> Value {
        if let Some(value) = locals.get(name) {
            return value.clone();
        }
        match self.bindings.get(name) {
            Some(Binding::Expression(e)) => self.value(e, &HashMap::new(), depth + 1),
            Some(Binding::Function(_)) => Value::Null,
            None => self.globals.get(name).cloned().unwrap_or(Value::Null),
        }
    }

    fn value(
        &self,
        expression: &Expression<'a>,
        locals: &HashMap<String, Value>,
        depth: usize,
    ) -> Value {
        if depth > MAX_DEPTH {
            return Value::Null;
        }
        let value = |e: &Expression<'a>| self.value(e, locals, depth);
        match expression {
            Expression::StringLiteral(s) => Value::String(s.value.as_str().to_string()),
            Expression::NumericLiteral(n) => serde_json::Number::from_f64(n.value)
                .map(|num| match num.as_f64() {
                    Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => Value::from(f as i64),
                    _ => Value::Number(num),
                })
                .unwrap_or(Value::Null),
            Expression::BooleanLiteral(b) => Value::Bool(b.value),
            Expression::TemplateLiteral(t) => {
                let mut out = String::new();
                for (i, quasi) in t.quasis.iter().enumerate() {
                    out.push_str(
                        quasi
                            .value
                            .cooked
                            .as_ref()
                            .map(|c| c.as_str())
                            .unwrap_or(""),
                    );
                    if let Some(e) = t.expressions.get(i) {
                        match value(e) {
                            Value::String(s) => out.push_str(&s),
                            Value::Number(n) => out.push_str(&n.to_string()),
                            _ => {}
                        }
                    }
                }
                Value::String(out)
            }
            Expression::ObjectExpression(object) => {
                let mut map = Map::new();
                for property in &object.properties {
                    match property {
                        ObjectPropertyKind::ObjectProperty(p) => {
                            if p.method {
                                continue;
                            }
                            let Some(key) = p.key.static_name() else {
                                continue;
                            };
                            map.insert(key.to_string(), value(&p.value));
                        }
                        ObjectPropertyKind::SpreadProperty(spread) => {
                            if let Value::Object(inner) = value(&spread.argument) {
                                map.extend(inner);
                            }
                        }
                    }
                }
                Value::Object(map)
            }
            Expression::ArrayExpression(array) => {
                let mut items = Vec::new();
                for element in &array.elements {
                    match element {
                        ArrayExpressionElement::SpreadElement(spread) => {
                            if let Value::Array(inner) = value(&spread.argument) {
                                items.extend(inner);
                            }
                        }
                        ArrayExpressionElement::Elision(_) => items.push(Value::Null),
                        other => {
                            items.push(other.as_expression().map(&value).unwrap_or(Value::Null))
                        }
                    }
                }
                Value::Array(items)
            }
            Expression::Identifier(id) => self.lookup(id.name.as_str(), locals, depth),
            Expression::ParenthesizedExpression(e) => value(&e.expression),
            Expression::TSAsExpression(e) => value(&e.expression),
            Expression::TSSatisfiesExpression(e) => value(&e.expression),
            Expression::TSNonNullExpression(e) => value(&e.expression),
            Expression::BinaryExpression(b)
                if b.operator == oxc_ast::ast::BinaryOperator::Addition =>
            {
                match (value(&b.left), value(&b.right)) {
                    (Value::String(l), Value::String(r)) => Value::String(l + &r),
                    (Value::Number(l), Value::Number(r)) => {
                        Value::from(l.as_f64().unwrap_or(0.0) + r.as_f64().unwrap_or(0.0))
                    }
                    _ => Value::Null,
                }
            }
            Expression::StaticMemberExpression(member) => match value(&member.object) {
                Value::Object(map) => map
                    .get(member.property.name.as_str())
                    .cloned()
                    .unwrap_or(Value::Null),
                _ => Value::Null,
            },
            Expression::CallExpression(call) => {
                let args: Vec<Value> = call
                    .arguments
                    .iter()
                    .map(|arg| match arg {
                        Argument::SpreadElement(_) => Value::Null,
                        other => other.as_expression().map(&value).unwrap_or(Value::Null),
                    })
                    .collect();
                let name = match &call.callee {
                    Expression::Identifier(id) => Some(id.name.as_str().to_string()),
                    Expression::StaticMemberExpression(m) => {
                        Some(m.property.name.as_str().to_string())
                    }
                    _ => None,
                };
                let Some(name) = name else {
                    return Value::Null;
                };
                match self.bindings.get(name.as_str()) {
                    Some(Binding::Function(f)) => self.call_function(f, &args, depth + 1),
                    Some(Binding::Expression(Expression::ArrowFunctionExpression(arrow))) => {
                        self.call_arrow(arrow, &args, depth + 1)
                    }
                    Some(Binding::Expression(Expression::FunctionExpression(f))) => {
                        self.call_function(f, &args, depth + 1)
                    }
                    _ => {
                        let mut map = Map::new();
                        map.insert("$call".into(), Value::String(name));
                        map.insert("$args".into(), Value::Array(args));
                        Value::Object(map)
                    }
                }
            }
            _ => Value::Null,
        }
    }

    fn call_function(&self, function: &Function<'a>, args: &[Value], depth: usize) -> Value {
        let Some(body) = &function.body else {
            return Value::Null;
        };
        let locals = params(&function.params, args);
        self.run(&body.statements, locals, depth)
    }

    fn call_arrow(
        &self,
        arrow: &ArrowFunctionExpression<'a>,
        args: &[Value],
        depth: usize,
    ) -> Value {
        let locals = params(&arrow.params, args);
        match &arrow.body {
            ArrowFunctionBody::FunctionBody(body) => self.run(&body.statements, locals, depth),
            other => other
                .as_expression()
                .map(|e| self.value(e, &locals, depth))
                .unwrap_or(Value::Null),
        }
    }

    /// The value a function body returns at its top level, with its constants.
    fn run(
        &self,
        statements: &[Statement<'a>],
        mut locals: HashMap<String, Value>,
        depth: usize,
    ) -> Value {
        for statement in statements {
            match statement {
                Statement::VariableDeclaration(variables) => {
                    for declarator in &variables.declarations {
                        if let (Some(name), Some(init)) =
                            (binding_name(&declarator.id), &declarator.init)
                        {
                            let value = self.value(init, &locals, depth);
                            locals.insert(name, value);
                        }
                    }
                }
                Statement::ReturnStatement(ret) => {
                    return ret
                        .argument
                        .as_ref()
                        .map(|e| self.value(e, &locals, depth))
                        .unwrap_or(Value::Null);
                }
                _ => {}
            }
        }
        Value::Null
    }
}

fn binding_name(pattern: &BindingPattern<'_>) -> Option<String> {
    pattern
        .get_identifier_name()
        .map(|n| n.as_str().to_string())
}

fn params(params: &oxc_ast::ast::FormalParameters<'_>, args: &[Value]) -> HashMap<String, Value> {
    params
        .items
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            Some((
                binding_name(&p.pattern)?,
                args.get(i).cloned().unwrap_or(Value::Null),
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_plain_data_through_constants_and_functions() {
        let text = r#"
            import { defineConfig } from 'vitepress'
            const base = '/guide/'
            export default defineConfig({
              title: `My ${'docs'}`,
              themeConfig: {
                sidebar: { [computed]: 1, '/guide/': { base, items: sidebarGuide() }, other: more('x') },
                nav: [...extra, { text: 'Home', link: '/' }],
              },
              async buildEnd() {},
            } as const)
            function sidebarGuide(): DefaultTheme.SidebarItem[] {
              const first = { text: 'Intro', link: 'intro' }
              return [first, { text: 'Next', link: base + 'next', order: 2 }]
            }
            const more = (name) => [{ text: name }]
            const extra = [{ text: 'Extra' }]
        "#;
        let value = evaluate(text, "config.mts");
        assert_eq!(value["$call"], "defineConfig");
        let config = &value["$args"][0];
        assert_eq!(config["title"], "My docs");
        let sidebar = &config["themeConfig"]["sidebar"];
        assert_eq!(sidebar["/guide/"]["base"], "/guide/");
        assert_eq!(sidebar["/guide/"]["items"][0]["link"], "intro");
        assert_eq!(sidebar["/guide/"]["items"][1]["link"], "/guide/next");
        assert_eq!(sidebar["/guide/"]["items"][1]["order"], 2);
        assert_eq!(sidebar["other"][0]["text"], "x");
        assert_eq!(config["themeConfig"]["nav"][0]["text"], "Extra");
        assert!(config.get("buildEnd").is_none());
    }

    #[test]
    fn module_exports_and_names_from_other_files() {
        let files = [
            (
                "a.js".to_string(),
                "module.exports = { docs: { path: '../docs' } };".to_string(),
            ),
            (
                "b.ts".to_string(),
                "export default { ...shared }".to_string(),
            ),
            (
                "c.ts".to_string(),
                "export const shared = { title: 'T' }".to_string(),
            ),
        ];
        let values = evaluate_files(&files);
        assert_eq!(values[0]["docs"]["path"], "../docs");
        assert_eq!(values[1]["title"], "T");
    }

    #[test]
    fn finds_calls_and_objects() {
        let value = evaluate(
            "export default defineConfig({ integrations: [mdx(), starlight({ title: 'S' })] })",
            "astro.config.mjs",
        );
        assert_eq!(find_call(&value, "starlight").unwrap()["title"], "S");
        assert!(find_object(&value, &|m| m.contains_key("title")).is_some());
    }
}
