"""Tests of scripts/module_cycles.py on small made-up trees."""

import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import module_cycles  # noqa: E402


class ModuleCycles(unittest.TestCase):
    def tree(self, files: dict[str, str]) -> Path:
        root = Path(tempfile.mkdtemp())
        for name, text in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return root

    def test_a_cycle_through_a_submodule_is_found(self):
        src = self.tree({
            "a.rs": "use crate::b::X;\n",
            "b/mod.rs": "mod inner;\n",
            "b/inner.rs": "use crate::a::Y;\n",
            "c.rs": "use crate::a::Z;\n",
        })
        self.assertEqual(module_cycles.cycles(module_cycles.graph(src)), [["a", "b"]])

    def test_doc_links_are_not_imports(self):
        src = self.tree({
            "a.rs": "use crate::b::X;\n",
            "b.rs": "/// See [`crate::a::run`].\nfn f() {} // crate::a too\n",
        })
        self.assertEqual(module_cycles.cycles(module_cycles.graph(src)), [])


if __name__ == "__main__":
    unittest.main()
