"""Evidence files (photos, documents) of reports and problems, stored under the data directory.

A file is accepted when its extension is allowed, its first bytes match that type (a renamed
file is refused), and it is at most ``MAX_BYTES``. It is stored once by content
(``<data_dir>/projects/<sha256[:2]>/<sha256><ext>``) and recorded in ``project_files``.

>>> kind_of("现场.JPG", b"\\xff\\xd8\\xff\\xe0rest")
'image/jpeg'
>>> kind_of("a.exe", b"MZ")
Traceback (most recent call last):
...
zhida.errors.ValidationFailed: 佐证材料「a.exe」的类型不允许：只接受 .jpg、.jpeg、.png、.pdf、.docx、.xlsx
"""

from __future__ import annotations

import hashlib
from pathlib import Path, PurePath

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhida.errors import ValidationFailed
from zhida.projects.models import ProjectFile
from zhida.roles import Actor

MAX_BYTES = 10 * 1024 * 1024
# extension → (content type, leading bytes)
TYPES = {
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    ".pdf": ("application/pdf", b"%PDF-"),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK\x03\x04"),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK\x03\x04"),
}


def kind_of(name: str, content: bytes) -> str:
    """The content type of an allowed file, else ``ValidationFailed`` naming the rule."""
    ext = PurePath(name).suffix.lower()
    if ext not in TYPES:
        raise ValidationFailed(f"佐证材料「{name}」的类型不允许：只接受 {'、'.join(TYPES)}")
    ctype, magic = TYPES[ext]
    if not content.startswith(magic):
        raise ValidationFailed(f"佐证材料「{name}」的内容与扩展名 {ext} 不符：请上传真实的{ext}文件")
    if len(content) > MAX_BYTES:
        raise ValidationFailed(f"佐证材料「{name}」有 {len(content) // 1024} KB，超过 {MAX_BYTES // 1024 // 1024} MB 上限")
    if not content:
        raise ValidationFailed(f"佐证材料「{name}」是空文件")
    return ctype


def store(session: Session, actor: Actor, data_dir: Path, owner: str, owner_id: int, name: str,
          content: bytes) -> ProjectFile:
    """Validate and keep one file for ``owner`` ('report' or 'issue') ``owner_id``."""
    clean = PurePath(name.replace("\\", "/")).name[:200] or "file"
    ctype = kind_of(clean, content)
    digest = hashlib.sha256(content).hexdigest()
    rel = Path("projects", digest[:2], digest + PurePath(clean).suffix.lower())
    target = Path(data_dir) / rel
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(target.suffix + ".part")
        tmp.write_bytes(content)
        tmp.replace(target)
    row = ProjectFile(owner=owner, owner_id=owner_id, name=clean, stored=str(rel), content_type=ctype,
                      size=len(content), sha256=digest, uploaded_by=actor.username)
    session.add(row)
    session.flush()
    return row


def files_of(session: Session, owner: str, owner_id: int) -> list[ProjectFile]:
    stmt = select(ProjectFile).where(ProjectFile.owner == owner, ProjectFile.owner_id == owner_id)
    return list(session.scalars(stmt.order_by(ProjectFile.id)))
