"""Files written so that a reader never finds half of one: a process killed while writing leaves the file
as it was before (and at most a hidden `.NAME.*.partial` beside it)."""
import os
import tempfile
from pathlib import Path


def write_atomically(path, content: bytes, mode=0o644):
    """Write `content` to `path` in full, or not at all: into a temporary file in the same folder, flushed to
    disk, then renamed over `path` (a rename within one file system is atomic)."""
    path = Path(path)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        with open(descriptor, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
