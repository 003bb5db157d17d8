"""`cmake --install` into a DESTDIR: the file list, both man pages rendering
through `man -l`, the installed units passing `systemd-analyze verify` with
empty output and `security --offline=yes` at exposure 1.1 or better, and the
config check the units run before every start and reload."""

import os
import re
import shutil
import subprocess
import tempfile
import unittest

BUILD_DIR = os.environ.get("FEEDD_BUILD_DIR", "")
SOURCE_DIR = os.environ.get("FEEDD_SOURCE_DIR", "")

EXPECTED = {
    "etc/feedd/feedd.toml",
    "usr/bin/feedd",
    "usr/lib/systemd/system/feedd.service",
    "usr/lib/systemd/system/feedd.socket",
    "usr/lib/systemd/system/feedd-build.service",
    "usr/lib/systemd/system/feedd-build.path",
    "usr/share/man/man8/feedd.8",
    "usr/share/man/man5/feedd.toml.5",
}


class InstallTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dest = tempfile.mkdtemp(prefix="feedd-install-")
        subprocess.run(["cmake", "--install", BUILD_DIR, "--prefix", "/usr"], check=True,
                       env=dict(os.environ, DESTDIR=cls.dest), stdout=subprocess.DEVNULL)
        # systemd-analyze checks that ExecStart's binary exists: point the
        # units at the copy in DESTDIR, and change nothing else.
        cls.units = tempfile.mkdtemp(prefix="feedd-units-")
        system = os.path.join(cls.dest, "usr/lib/systemd/system")
        for name in os.listdir(system):
            with open(os.path.join(system, name)) as f:
                text = f.read()
            with open(os.path.join(cls.units, name), "w") as f:
                f.write(text.replace("/usr/bin/feedd", os.path.join(cls.dest, "usr/bin/feedd")))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dest, ignore_errors=True)
        shutil.rmtree(cls.units, ignore_errors=True)

    def test_the_file_list(self):
        found = set()
        for root, _, files in os.walk(self.dest):
            for name in files:
                found.add(os.path.relpath(os.path.join(root, name), self.dest))
        self.assertEqual(EXPECTED, found)
        self.assertTrue(os.access(os.path.join(self.dest, "usr/bin/feedd"), os.X_OK))

    def man(self, page):
        result = subprocess.run(["man", "-l", os.path.join(self.dest, page)],
                                capture_output=True, text=True,
                                env=dict(os.environ, MANWIDTH="100", MANPAGER="cat", PAGER="cat"))
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertEqual("", result.stderr)
        return result.stdout

    def test_feedd_8_renders(self):
        text = self.man("usr/share/man/man8/feedd.8")
        self.assertIn("feedd(8)", text)
        for words in ("SYNOPSIS", "SIGHUP", "--config-only", "READY=1", "EXIT STATUS"):
            self.assertIn(words, text)

    def test_feedd_toml_5_documents_every_key_of_the_example(self):
        text = self.man("usr/share/man/man5/feedd.toml.5")
        self.assertIn("feedd.toml(5)", text)
        with open(os.path.join(SOURCE_DIR, "config", "feedd.toml")) as f:
            example = f.read()
        sections = re.findall(r"^\[([a-z_]+)\]$", example, re.M)
        keys = re.findall(r"^(?:# )?([a-z_]+) = ", example, re.M)
        self.assertGreater(len(keys), 40)
        for section in sections:
            self.assertRegex(text, rf"(?m)^\[{section}\]$")
        for key in keys:
            self.assertRegex(text, rf"(?m)^ +{key} = ", key)

    def test_units_pass_verify_with_empty_output(self):
        names = sorted(os.listdir(self.units))
        result = subprocess.run(["systemd-analyze", "verify", "--man=no", *names],
                                cwd=self.units, capture_output=True, text=True)
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertEqual("", result.stdout + result.stderr)

    def test_service_exposure_is_at_most_1_1(self):
        result = subprocess.run(["systemd-analyze", "security", "--offline=yes", "--threshold=11",
                                 "feedd.service"], cwd=self.units, capture_output=True, text=True)
        self.assertEqual(0, result.returncode, result.stdout + result.stderr)
        exposure = float(re.search(r"Overall exposure level for feedd\.service: ([\d.]+)",
                                   result.stdout).group(1))
        self.assertLessEqual(exposure, 1.1)
        print(f"exposure {exposure}", end=" ", flush=True)

    def test_the_unit_checks_the_config_before_start_and_reload(self):
        with open(os.path.join(self.units, "feedd.service")) as f:
            unit = f.read()
        self.assertIn("Type=notify", unit)
        self.assertRegex(unit, r"(?m)^ExecStartPre=\S+/feedd check --config-only ")
        self.assertRegex(unit, r"(?m)^ExecReload=\S+/feedd check --config-only .*\n"
                               r"ExecReload=/bin/kill -HUP \$MAINPID$")
        feedd = os.path.join(self.dest, "usr/bin/feedd")
        config = os.path.join(self.dest, "etc/feedd/feedd.toml")
        ok = subprocess.run([feedd, "check", "--config-only", "--config", config],
                            capture_output=True, text=True)
        self.assertEqual(0, ok.returncode, ok.stderr)
        scratch = tempfile.mkdtemp(prefix="feedd-config-")
        self.addCleanup(shutil.rmtree, scratch)
        broken = os.path.join(scratch, "broken.toml")
        with open(broken, "w") as f:
            f.write("[server]\nmax_age = \"soon\"\n")
        bad = subprocess.run([feedd, "check", "--config-only", "--config", broken],
                             capture_output=True, text=True)
        self.assertEqual(78, bad.returncode)
        self.assertIn("broken.toml:2", bad.stderr)


if __name__ == "__main__":
    unittest.main()
