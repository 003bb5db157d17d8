"""Golden files: the bundled examples in, exact feed bytes out.

Every example gets the same mtime and a fresh state store, so the output
depends only on the articles and the config. After an intended change to
the output, regenerate with:

    FEEDD_UPDATE_GOLDEN=1 ctest --preset default -R golden

and review the diff of tests/data/golden/ like any other change.
"""

import gzip
import os
import shutil
import unittest

from feedd_testing import SOURCE_DIR, FeeddTestCase, snapshot

GOLDEN = os.path.join(SOURCE_DIR, "tests", "data", "golden")


class GoldenTest(FeeddTestCase):
    def test_examples_render_to_the_golden_bytes(self):
        self.use_examples()
        self.build()
        everything = snapshot(self.out)
        # Each document comes with its gzip, which must hold the same bytes;
        # the golden files are the documents themselves.
        produced = {rel: data for rel, data in everything.items() if not rel.endswith(".gz")}
        for rel, data in produced.items():
            self.assertEqual(data, gzip.decompress(everything[rel + ".gz"]), rel + ".gz")
        if os.environ.get("FEEDD_UPDATE_GOLDEN") == "1":
            shutil.rmtree(GOLDEN, ignore_errors=True)
            for rel, data in produced.items():
                os.makedirs(os.path.dirname(os.path.join(GOLDEN, rel)), exist_ok=True)
                with open(os.path.join(GOLDEN, rel), "wb") as f:
                    f.write(data)
        expected = snapshot(GOLDEN)
        self.assertEqual(sorted(expected), sorted(produced))
        for rel, data in expected.items():
            self.assertEqual(data.decode("utf-8"), produced[rel].decode("utf-8"), rel)


if __name__ == "__main__":
    unittest.main()
