"""`egov workspace info | prune | vacuum`: what the workspace holds, and keeping it small."""

import typer

from egovcli.cli import FormatOpt, Group, WorkspaceOpt, _err, _open, app

workspace_app = typer.Typer(
    cls=Group,
    help="The workspace: size, scoring runs, upkeep.",
    no_args_is_help=True,
)
app.add_typer(workspace_app, name="workspace")


def _size(n: int) -> str:
    from egovcli.textnorm import vi_number

    return f"{vi_number(n / 1_000_000, 1)} MB"


@workspace_app.command("info")
def info(workspace: WorkspaceOpt = None, fmt: FormatOpt = None) -> None:
    """Show the workspace's size, its submissions and observations, and its scoring runs (which one
    `egov rank` uses, which ones `egov workspace prune` deletes)."""
    from dataclasses import asdict

    from egovcli.api import workspace_info, write_json, write_rows

    ws = _open(workspace, readonly=True)
    try:
        found = workspace_info(ws)
    finally:
        ws.close()
    if fmt is not None and fmt.value == "json":
        write_json(asdict(found), None)
        return
    statuses = ", ".join(f"{status}: {n}" for status, n in sorted(found.submissions.items())) or "không có"
    typer.echo(f"Workspace {found.path}: {_size(found.file_bytes)} (trong đó {_size(found.free_bytes)} trống,"
               " 'egov workspace vacuum' trả lại)")
    reports = sum(found.submissions.values())
    typer.echo(f"Báo cáo: {reports} ({statuses}); giá trị đã đọc: {found.observations}")
    rows = [
        {"run": r.id, "name": r.name, "rules": r.rules, "created_at": r.created_at, "agencies": r.agencies,
         "size": _size(r.bytes), "note": "; ".join(
             (["mới nhất: egov rank dùng"] if r.latest else [])
             + (["đã bị thay: egov workspace prune xoá"] if r.superseded else []))}
        for r in found.runs
    ]
    if not rows:
        typer.echo("Chưa có lần chấm điểm nào.")
        return
    write_rows(rows, ("run", "name", "rules", "created_at", "agencies", "size", "note"),
               fmt.value if fmt else "table", title="Các lần chấm điểm (Tên: egov score --run)")


@workspace_app.command("prune")
def prune(workspace: WorkspaceOpt = None) -> None:
    """Delete the unnamed scoring runs a later run of the same rule set replaced (never the latest run,
    never a run named with 'egov score --run'), and rows nothing refers to. Reports are never touched.
    The file keeps its size until 'egov workspace vacuum'."""
    from egovcli.api import prune_workspace

    ws = _open(workspace)
    try:
        pruned = prune_workspace(ws)
    finally:
        ws.close()
    for run_id, rules, created in pruned.runs:
        _err(f"Đã xoá lần chấm điểm {run_id} ({rules}, {created})")
    _err(f"Đã xoá {len(pruned.runs)} lần chấm điểm cũ, {pruned.orphan_observations} giá trị và"
         f" {pruned.orphan_run_rows} dòng kết quả không còn thuộc về đâu. Chạy 'egov workspace vacuum' để"
         " thu nhỏ tệp.")


@workspace_app.command("vacuum")
def vacuum(workspace: WorkspaceOpt = None) -> None:
    """Rewrite the workspace file without its free space (SQLite VACUUM, all or nothing: a crash leaves
    it as it was). Needs free disk space about the file's size, and no other egov writing to it."""
    from egovcli.api import vacuum_workspace

    ws = _open(workspace)
    try:
        before, after = vacuum_workspace(ws)
    finally:
        ws.close()
    _err(f"Đã thu gọn workspace: {_size(before)} → {_size(after)}.")
