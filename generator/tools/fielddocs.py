"""The field reference of docs/fields.md, written from the schemas so the two cannot drift.

Run `python -m generator.tools.fielddocs > docs/fields.md` after changing a schema;
a test fails while the committed file differs from this output.
"""

from __future__ import annotations

import json

from .. import i18n
from ..content.county import COUNTY_TYPE
from ..content.types import SCHEMA_DIR, all_types

HEADER = """# 字段参考

本页由 `python -m generator.tools.fielddocs > docs/fields.md` 根据 `schemas/` 中的结构说明生成，请勿手工修改。
怎样写每一类内容、完整的例子，见[内容编写指南](content-guide.md)。

"""


def _referred(prop: dict) -> dict:
    """A property given as another schema's ("office.schema.json#/properties/registration"), with its own title and
    description over the referred one's: county.yaml's registration is the office's."""
    file, _, pointer = prop.get("$ref", "").partition("#")
    if not file:
        return prop
    target = json.loads((SCHEMA_DIR / file).read_text(encoding="utf-8"))
    for key in filter(None, pointer.split("/")):
        target = target[key]
    return {**target, **{key: value for key, value in prop.items() if key != "$ref"}}


def _rows(properties: dict, required: set[str], prefix: str = ""):
    for name, prop in properties.items():
        prop = _referred(prop)
        mark = "（必填）" if name in required else ""
        yield f"| `{prefix}{name}` | {prop.get('title', '')}{mark} | {prop.get('description', '')} |"
        if "properties" in prop:
            yield from _rows(prop["properties"], set(prop.get("required", [])), f"{prefix}{name}.")
        items = prop.get("items")
        if isinstance(items, dict) and "properties" in items:
            yield from _rows(items["properties"], set(items.get("required", [])), f"{prefix}{name}[].")


def _table(schema: dict) -> list[str]:
    lines = ["| 字段 | 名称 | 说明 |", "| --- | --- | --- |"]
    if "fields" in schema:  # a Frictionless table schema: one column a field
        for field in schema["fields"]:
            mark = "（必填）" if field.get("constraints", {}).get("required") else ""
            lines.append(f"| `{field['name']}` | {field['title']}{mark} | {field['description']} |")
        return lines
    return lines + list(_rows(schema.get("properties", {}), set(schema.get("required", []))))


def render() -> str:
    parts = [HEADER]
    for content_type in (COUNTY_TYPE, *all_types()):
        schema = content_type.load_schema()
        anchor = " {#county}" if content_type is COUNTY_TYPE else ""  # the content guide links to it
        parts.append(f"## {content_type.label}（`{content_type.kind}`）{anchor}\n")
        parts.append(f"文件：`content/{content_type.pattern}`；结构说明：`schemas/{content_type.schema}`。"
                     f"{schema.get('description', '')}\n")
        if schema.get("$ref") == "document.schema.json":
            parts.append("除下表字段外，还包括全部[公开文件元数据](#document)字段。\n")
        parts.append("\n".join(_table(schema)) + "\n")
    document = json.loads((SCHEMA_DIR / "document.schema.json").read_text(encoding="utf-8"))
    parts.append('## 公开文件元数据 {#document}\n')
    parts.append(document["description"] + "\n")
    parts.append("\n".join(_table(document)) + "\n")
    parts.append(_rules())
    return "\n".join(parts)


def _rules() -> str:
    from ..checks.check import all_rules

    lines = ["## 检查规则 {#rules}\n",
             "`gongkai check` 逐条执行下列规则。参数和严重程度（error、warning、off）可以在 `content/rules.yaml` 中覆盖；"
             "标为**安全规则**的几条不能降低严重程度，违反它们的内容不会出现在任何公开输出（网站、张贴材料、数据）中。\n",
             "| 规则 | 说明 | 参数（默认值） |", "| --- | --- | --- |"]
    titles, summaries = _rule_words()
    for rule in all_rules():
        summary = ("**安全规则**。" if getattr(rule, "BLOCKS_BUILD", False) else "") + summaries[rule.ID]
        defaults = "; ".join(f"`{key}`: {value}" for key, value in rule.DEFAULTS.items())
        lines.append(f"| `{rule.ID}`（{titles[rule.ID]}） | {summary} | {defaults} |")
    return "\n".join(lines) + "\n"


def _rule_words() -> tuple[dict[str, str], dict[str, str]]:
    """Each rule's title and summary in Chinese: the name a pull request's annotations give the rule, beside the id
    rules.yaml takes, and what it checks."""
    from ..checks.check import all_rules

    token = i18n.choose("zh")
    try:
        return ({rule.ID: i18n._(rule.TITLE) for rule in all_rules()},
                {rule.ID: i18n._(rule.SUMMARY) for rule in all_rules()})
    finally:
        i18n.restore(token)


def _parameter_schema(name: str, default) -> dict:
    """A parameter's schema, from the kind of its default value."""
    described = {"title": name, "description": f"默认值：{json.dumps(default, ensure_ascii=False)}"}
    if isinstance(default, bool):
        return {**described, "type": "boolean"}
    if isinstance(default, int):
        # Every number has a bound: a grace of 10**9 working days would have the calendar counted for minutes. Each
        # number a rule takes is days, working days or times a year, so a year bounds them (or a rule's own bound).
        return {**described, "type": "integer", "minimum": 0, "maximum": 366}
    if isinstance(default, str):
        return {**described, "type": "string"}
    if isinstance(default, list):
        return {**described, "type": "array", "items": {"type": "string"}}
    return {**described, "type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}}


def rules_schema() -> dict:
    """schemas/rules.schema.json: every rule and every parameter, so a misspelt one or a wrong kind of value is
    reported by `gongkai validate` at its line, and an editor completes them."""
    from ..checks.check import all_rules

    rules, (titles, summaries) = {}, _rule_words()
    for rule in all_rules():
        safety = getattr(rule, "BLOCKS_BUILD", False)
        parameters = {"severity": {"title": "严重程度",
                                   "description": "安全规则，不能改。" if safety else "error（报错）、warning（提醒）或 off（不检查）。",
                                   "enum": ["error"] if safety else ["error", "warning", "off"]}}
        # A rule whose parameter has a shape the default cannot show (keys from a fixed list, numbers as values)
        # says it in parameter_schemas(); the generated title and default still describe it.
        declared = rule.parameter_schemas() if hasattr(rule, "parameter_schemas") else {}
        parameters |= {name: {**_parameter_schema(name, value), **declared.get(name, {})}
                       for name, value in rule.DEFAULTS.items() if name != "severity"}
        rules[rule.ID] = {"title": titles[rule.ID], "description": summaries[rule.ID], "type": "object",
                          "additionalProperties": False, "properties": parameters}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://gongkai.invalid/schemas/rules.schema.json",
        "title": "检查规则参数",
        "description": "content/rules.yaml（可选）：覆盖检查规则的默认参数或严重程度。本文件由 `python -m generator.tools.fielddocs"
                       " --rules-schema > schemas/rules.schema.json` 根据规则生成，规则和参数见字段参考的“检查规则”一节。",
        "type": "object",
        "additionalProperties": False,
        "properties": {"rules": {"title": "规则", "description": "以规则编号为键，值为要覆盖的参数。", "type": "object",
                                 "additionalProperties": False, "properties": rules}},
    }


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["--rules-schema"]:
        print(json.dumps(rules_schema(), ensure_ascii=False, indent=2))
    else:
        print(render(), end="")
