"""The command line: help, version, usage errors, exit codes, show."""

import os
import subprocess
import unittest

from feedd_testing import EXAMPLES, FEEDD, FeeddTestCase, run_feedd


class CommandLineTest(FeeddTestCase):
    def test_help_goes_to_stdout_and_exits_0(self):
        result = run_feedd("--help")
        self.assertIn("build", result.stdout)
        self.assertIn("check", result.stdout)
        self.assertEqual("", result.stderr)

    def test_version_goes_to_stdout_and_exits_0(self):
        result = run_feedd("--version")
        self.assertRegex(result.stdout, r"^feedd \d+\.\d+\.\d+")

    def test_unknown_flag_exits_64_with_usage_on_stderr(self):
        result = run_feedd("build", "--out", self.out, "--frobnicate", check=False)
        self.assertEqual(64, result.returncode)
        self.assertIn("--frobnicate", result.stderr)
        self.assertIn("Usage", result.stderr)
        self.assertEqual("", result.stdout)

    def test_build_runs_without_a_config_file(self):
        self.write_article("a.txt", "A Title\n\nA paragraph.\n")
        result = run_feedd("build", "--articles", self.articles, "--state-dir", self.state,
                           "--out", self.out)
        self.assertIn("1 articles", result.stdout)
        feed = self.read_json("feed.json")
        self.assertEqual("A Title", feed["items"][0]["title"])
        self.assertEqual("tag:localhost,2026-01-01:a", feed["items"][0]["id"])

    def test_feedd_config_names_the_default_config_file(self):
        self.write_article("a.txt", "A Title\n\nA paragraph.\n")
        self.write_config('[site]\ntitle = "From The Environment"\n')
        env = dict(os.environ, FEEDD_CONFIG=self.config)
        subprocess.run([FEEDD, "build", "--articles", self.articles, "--state-dir", self.state,
                        "--out", self.out], check=True, env=env, capture_output=True)
        self.assertEqual("From The Environment", self.read_json("feed.json")["title"])

    def test_check_exits_0_on_clean_examples(self):
        result = run_feedd("check", "--config", os.path.join(EXAMPLES, "feedd.toml"))
        self.assertIn("0 errors", result.stdout)

    def test_check_lists_problems_as_file_line_message_and_exits_65(self):
        self.write_article("a.txt", "Title\n\nDate: someday\n\nBody.\n")
        result = run_feedd("check", "--articles", self.articles, check=False)
        self.assertEqual(65, result.returncode)
        self.assertIn(f"{self.articles}/a.txt:3: header 'Date' is not a date: 'someday'",
                      result.stdout)

    def test_check_of_a_missing_articles_folder_exits_66_naming_it(self):
        missing = os.path.join(self.work, "no-such-articles")
        result = run_feedd("check", "--articles", missing, check=False)
        self.assertEqual(66, result.returncode)  # EX_NOINPUT
        self.assertIn(f"{missing}: cannot list the articles directory", result.stderr)
        self.assertEqual("", result.stdout)

    def test_missing_config_file_exits_78(self):
        result = run_feedd("check", "--config", os.path.join(self.work, "nope.toml"), check=False)
        self.assertEqual(78, result.returncode)
        self.assertIn("nope.toml: cannot open the config file", result.stderr)

    def test_bad_listen_address_exits_64(self):
        result = run_feedd("serve", "--listen", "localhost", check=False)
        self.assertEqual(64, result.returncode)
        self.assertIn("ADDR:PORT", result.stderr)

    def test_serve_on_a_taken_port_exits_73_naming_the_address(self):
        import socket
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            port = taken.getsockname()[1]
            result = run_feedd("serve", "--articles", self.work, "--state-dir", self.state,
                               "--listen", f"127.0.0.1:{port}", check=False)
        self.assertEqual(73, result.returncode)
        self.assertIn(f"cannot listen on 127.0.0.1:{port}", result.stderr)

    def test_serve_with_a_bad_config_exits_78(self):
        self.write_config("[server]\nthreads = 0\n")
        result = run_feedd("serve", "--config", self.config, check=False)
        self.assertEqual(78, result.returncode)
        self.assertIn(":2: server.threads must be between 1 and 64", result.stderr)

    def test_show_prints_every_field(self):
        path = self.write_article(
            "world/000_abc.txt",
            "Market Hall Reopens\n\n77\nIrene Falk Correspondent\nPhoto by: City Archive\n\n"
            "The lead paragraph is here.\n\nA subheading line\n\nMore text follows.\n")
        result = run_feedd("show", "--articles", self.articles, path)
        out = result.stdout
        self.assertIn("id:          000_abc (from the file name)", out)
        self.assertIn("title:       Market Hall Reopens", out)
        self.assertIn("authors:     Irene Falk", out)
        self.assertIn("role:        Correspondent", out)
        self.assertIn("credit:      City Archive", out)
        self.assertIn("categories:  world", out)
        self.assertIn("summary:     The lead paragraph is here.", out)
        self.assertIn("<h2>A subheading line</h2>", out)
        self.assertNotIn("77", out.split("content:")[1])

    def test_show_of_a_broken_file_exits_65(self):
        path = self.write_article("b.md", "---\ntitle: [x\n---\n")
        result = run_feedd("show", path, check=False)
        self.assertEqual(65, result.returncode)
        self.assertIn("b.md:", result.stderr)


if __name__ == "__main__":
    unittest.main()
