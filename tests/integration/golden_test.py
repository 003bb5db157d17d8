"""Golden files: the bundled examples in, exact feed bytes out.

Every example gets the same mtime and a fresh state store, so the output
depends only on the articles and the config. After an intended change to
the output, regenerate with:

    FEEDD_UPDATE_GOLDEN=1 ctest --preset default -R golden

and review the diff of tests/data/golden/ like any other change.
"""

import os
import shutil
import unittest

from feedd_testing import SOURCE_DIR, FeeddTestCase, snapshot

GOLDEN = os.path.join(SOURCE_DIR, "tests", "data", "golden")


class GoldenTest(FeeddTestCase):
    def test_examples_render_to_the_golden_bytes(self):
        self.use_examples()
        self.build()
        produced = snapshot(self.out)
        if os.environ.get("FEEDD_UPDATE_GOLDEN") == "1":
            shutil.rmtree(GOLDEN, ignore_errors=True)
            shutil.copytree(self.out, GOLDEN)
        expected = snapshot(GOLDEN)
        self.assertEqual(sorted(expected), sorted(produced))
        for rel, data in expected.items():
            self.assertEqual(data.decode("utf-8"), produced[rel].decode("utf-8"), rel)


if __name__ == "__main__":
    unittest.main()
