from zhifa.supervision.tests.conftest import evidence_dirs, sup, world

__all__ = ["evidence_dirs", "sup", "world"]
