"""Format readers: a file's bytes → cells, lines and tables located as printed ("Sheet!E12",
"trang 3", "dòng 12"), one module per format, each exposing `extract(path) -> Extracted`.

`safety` holds the limits and the checks made before a library opens a file; `legacy` converts
or reads the old formats (.xls, .ods, .doc, .odt, .rtf); `sheetxml` and `xls` read sparse sheets
cell by cell. Which module reads which suffix is `ingest.batch.EXTRACTORS`.
"""
