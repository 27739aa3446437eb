"""Fill an `ismap statement template` workbook as a conformant provider would, with openpyxl.

Usage: python3 scripts/fill-template.py TEMPLATE.xlsx FILLED.xlsx [--blank ID ...]

Checks what a provider sees (the sheets, the status drop-down on column F, the frozen header),
then answers every item of the answers sheet: status "選択" / "selected" with one individual
control, and fills the cover. `--blank` leaves the named items unanswered. Prints the status
cell of each blanked item, one per line, so that a test can compare them with the findings.
"""
import datetime
import sys

import openpyxl

args = sys.argv[1:]
src, dst = args[0], args[1]
blank = set(args[args.index("--blank") + 1:]) if "--blank" in args else set()

wb = openpyxl.load_workbook(src)
ja = "回答" in wb.sheetnames
answers = wb["回答" if ja else "Answers"]
cover = wb["表紙" if ja else "Cover"]
assert (wb.sheetnames == ["表紙", "回答", "追加要件", "統制変更", "基盤サービス", "記入方法"]
        or wb.sheetnames == ["Cover", "Answers", "Agency requirements", "Changes", "Underlying services", "Columns"]), wb.sheetnames
lists = [dv for dv in answers.data_validations.dataValidation if dv.type == "list"]
assert lists and any(str(r).startswith("F2:F") for dv in lists for r in dv.sqref.ranges), "status drop-down on F"
assert answers.freeze_panes == "B2", answers.freeze_panes
assert answers.protection.sheet, "fixed columns are protected"

header = [c.value for c in answers[1]]
status_col = header.index("状態" if ja else "Status") + 1
controls_col = header.index("個別管理策" if ja else "Individual controls") + 1
selected = "選択" if ja else "selected"

for row in answers.iter_rows(min_row=2):
    item = row[0].value
    if not item:
        continue
    cell = answers.cell(row=row[0].row, column=status_col)
    if item in blank:
        print(cell.coordinate)
        continue
    cell.value = selected
    answers.cell(row=row[0].row, column=controls_col).value = f"C-{item}: {item} is implemented and reviewed yearly"

values = {
    "サービス名称（日本語）": "つばめストレージ（架空）", "Service name (Japanese)": "つばめストレージ（架空）",
    "事業者名（日本語）": "つばめ株式会社（架空）", "Provider name (Japanese)": "つばめ株式会社（架空）",
    "サービスモデル": "IaaS", "Service model": "IaaS",
    "監査対象期間（開始日）": datetime.date(2025, 4, 1), "Assessment period (first day)": datetime.date(2025, 4, 1),
    "監査対象期間（終了日）": "令和8年3月31日", "Assessment period (last day)": "2026-03-31",
    "代表者氏名": "燕 花子", "Representative's name": "燕 花子",
    "代表者役職": "取締役 CISO", "Representative's position": "CISO",
}
for row in cover.iter_rows(min_row=2):
    if row[0].value in values:
        row[1].value = values[row[0].value]

wb.save(dst)
