#!/usr/bin/env python3
"""Builds fuzz/corpus/<target>/ from the repository's own data files and fuzz/seeds/<target>/.

The corpus directories are generated (and git-ignored): the data files they come from are
large and already committed elsewhere in the repository. Targets that read a mode byte first
(statement, team_log, column_mapping) get it prefixed here. Run from anywhere; standard
library only (PyYAML is used for the scenario JSON seeds when it is installed).
"""

import io
import json
import pathlib
import shutil
import sys
import zipfile

FUZZ = pathlib.Path(__file__).resolve().parent
ROOT = FUZZ.parent
CORPUS = FUZZ / "corpus"


def put(target, name, data):
    d = CORPUS / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data if isinstance(data, bytes) else data.encode())


def toml_value(v):
    """A JSON value as an inline TOML value (nulls are dropped: TOML has none)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return json.dumps(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v if x is not None) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{json.dumps(k)} = {toml_value(x)}" for k, x in v.items() if x is not None) + " }"
    raise TypeError(type(v))


def to_toml(doc):
    return "".join(f"{json.dumps(k)} = {toml_value(v)}\n" for k, v in doc.items() if v is not None)


def catalog_rows(catalog):
    """Spreadsheet rows (the columns of fuzz_targets/common/mapping.rs) for every catalog item."""
    rows = []

    def title(n, lang):
        return (n.get("title") or {}).get(lang, "")

    def row(part, n, flags=False):
        refs = "\n".join(r["standard"] + (" | " + r["clause"] if r.get("clause") else "") for r in n.get("refs", []))
        mandatory = "○" if flags and n["id"].endswith("B") else ""
        cloud = "○" if flags and (n["id"].endswith(".P") or n["id"].endswith(".PB")) else ""
        rows.append([n["id"], part, title(n, "ja"), title(n, "en"), "", "", mandatory, cloud, refs])

    for p in catalog["parts"]:
        for d in p.get("domains", []):
            row(p["part"], d)
            for c in d.get("categories", []):
                row(p["part"], c)
                for o in c.get("objectives", []):
                    row(p["part"], o)
                    for k in o.get("controls", []):
                        row(p["part"], k, True)
    return rows


HEADER = ["項番", "区分", "項目", "Item", "内容", "Text", "必須", "クラウド", "参照"]


def csv_text(rows):
    q = lambda s: '"' + s.replace('"', '""') + '"'
    return "\n".join(",".join(q(c) for c in r) for r in [HEADER] + rows) + "\n"


def xlsx_bytes(rows):
    """A minimal XLSX workbook (inline strings) holding `rows` under the header."""
    esc = lambda s: s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    def col(i):
        s = ""
        i += 1
        while i:
            i, r = divmod(i - 1, 26)
            s = chr(65 + r) + s
        return s

    sheet_rows = []
    for ri, r in enumerate([HEADER] + rows, start=1):
        cells = "".join(
            f'<c r="{col(ci)}{ri}" t="inlineStr"><is><t>{esc(v)}</t></is></c>' for ci, v in enumerate(r) if v
        )
        sheet_rows.append(f'<row r="{ri}">{cells}</row>')
    files = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="管理基準" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + "".join(sheet_rows)
        + "</sheetData></worksheet>",
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            z.writestr(name, text)
    return buf.getvalue()


def main():
    if CORPUS.exists() and "--keep" not in sys.argv:
        shutil.rmtree(CORPUS)
    for seeds in (FUZZ / "seeds").iterdir():
        for f in seeds.iterdir():
            put(seeds.name, "seed-" + f.name, f.read_bytes())

    catalog_text = (ROOT / "ismap-controls/data/ismap-2022-04-01.json").read_text()
    catalog = json.loads(catalog_text)
    put("catalog_json", "ismap-2022-04-01.json", catalog_text)
    put("catalog_toml", "ismap-2022-04-01.toml", to_toml(catalog))
    rows = catalog_rows(catalog)
    put("spreadsheet_csv", "ismap-2022-04-01.csv", csv_text(rows))
    put("spreadsheet_csv", "head.csv", csv_text(rows[:12]))
    put("spreadsheet_xlsx", "ismap-2022-04-01.xlsx", xlsx_bytes(rows))
    put("spreadsheet_xlsx", "head.xlsx", xlsx_bytes(rows[:12]))

    statement_text = (ROOT / "ismap-controls/data/sample-statement.json").read_text()
    put("statement", "sample.json", b"\x00" + statement_text.encode())
    put("statement", "sample.toml", b"\x01" + to_toml(json.loads(statement_text)).encode())

    journal = (ROOT / "ismap-workflow/data/sample-journal.jsonl").read_bytes()
    put("journal_line", "sample-journal.jsonl", journal)
    put("journal_line", "sample-journal-head.jsonl", b"".join(journal.splitlines(keepends=True)[:3]))
    for i, event in enumerate(json.loads((ROOT / "ismap-workflow/data/sample-events.json").read_text())):
        put("journal_line", f"event-{i:02}.json", json.dumps(event, ensure_ascii=False))
    # Format version 0 journals (no format_version) verify as written.
    put("journal_line", "golden-v0.jsonl", (ROOT / "tests/golden/journal-entry/v0.jsonl").read_bytes())
    for v in (0, 1):
        put("baseline", f"golden-v{v}.json", (ROOT / f"tests/golden/baseline/v{v}.json").read_bytes())
    put("baseline", "ismap.json", '{"kind": "ismap", "program": "ISMAP"}')

    scenario_yaml = (ROOT / "cyder-scenario/data/minatogawa-b1.yaml").read_text()
    log_yaml = (ROOT / "cyder-scenario/data/minatogawa-b1-log.yaml").read_text()
    put("scenario_yaml", "minatogawa-b1.yaml", scenario_yaml)
    put("team_log", "minatogawa-b1-log.yaml", b"\x00" + log_yaml.encode())
    try:
        import yaml  # noqa: PLC0415 (optional)

        as_json = lambda t: json.dumps(yaml.safe_load(t), ensure_ascii=False, indent=1, default=str)
        put("scenario_json", "minatogawa-b1.json", as_json(scenario_yaml))
        put("scenario_yaml", "minatogawa-b1-flow.yaml", as_json(scenario_yaml))
        put("team_log", "minatogawa-b1-log.json", b"\x01" + as_json(log_yaml).encode())
    except ImportError:
        put("scenario_json", "minimal.json", '{"id": "x"}')

    abc = (ROOT / "ismap-controls/tests/fixtures/oscal/abc_catalog.json").read_text()
    put("oscal_catalog", "abc_catalog.json", abc)
    put("oscal_profile", "abc_catalog.json", abc)

    for d in sorted(CORPUS.iterdir()):
        print(f"{d.name}: {len(list(d.iterdir()))} seed(s)")


if __name__ == "__main__":
    main()
