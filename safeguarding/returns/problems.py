"""What is wrong with a return, said so that an analyst can find and fix it."""
from dataclasses import dataclass, field

MAX_PROBLEMS = 50


@dataclass
class Problem:
    file: str
    where: str  # "line 120, child 7" or "row 15"
    field: str
    message: str  # what is wrong and what was expected

    def __str__(self):
        location = f"{self.file}, {self.where}" if self.where else self.file
        return f"{location}: {self.field}: {self.message}" if self.field else f"{location}: {self.message}"


@dataclass
class ReturnRejected(Exception):
    """The return was not loaded; the store is as it was."""

    problems: list = field(default_factory=list)
    more: bool = False

    def __str__(self):
        lines = [str(p) for p in self.problems]
        if self.more:
            lines.append(f"(stopped after the first {len(self.problems)} problems)")
        return "\n".join(lines)


class ProblemList:
    def __init__(self, file):
        self.file = file
        self.items = []
        self.more = False

    def add(self, where, field, message, file=None):
        if len(self.items) >= MAX_PROBLEMS:
            self.more = True
            return
        self.items.append(Problem(file or self.file, where, field, message))

    @property
    def full(self):
        return self.more

    def __bool__(self):
        return bool(self.items)

    def reject(self):
        raise ReturnRejected(self.items, self.more)
