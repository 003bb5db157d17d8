"""Writes feedd.toml(5), in scdoc, from the annotated example config, so the
man page documents exactly the keys config/feedd.toml does and cannot drift
from it. Usage: config_to_scdoc.py FEEDD_TOML VERSION > feedd.toml.5.scd

The example's comment lines before a key (or a run of keys) describe it;
"# key = value" lines are keys shown commented out (no default value set)."""

import re
import sys

KEY = re.compile(r"^(?:# )?([a-z_]+) = (.*)$")
SECTION = re.compile(r"^\[([a-z_]+)\]$")


def escape(text):
    # scdoc's markup characters; `code` (which scdoc cannot escape) is bold.
    text = re.sub(r"([\\*_])", r"\\\1", text)
    text = re.sub(r"`([^`]*)`", r"*\1*", text)
    return "\\" + text if text.startswith(("[", "|", ":", "-", "#")) else text


def main(path, version):
    lines = open(path, encoding="utf-8").read().splitlines()
    out = [f'feedd.toml(5) "feedd {version}"', "", "# NAME", "",
           "feedd.toml - configuration of feedd(8)", "", "# DESCRIPTION", ""]
    comment, keys, section, intro_done = [], [], None, False

    def flush():
        nonlocal comment, keys
        if keys:
            for i, (name, value) in enumerate(keys):
                tail = "" if i == len(keys) - 1 else " ++"
                out.append(f"*{escape(name)}* = {escape(value)}{tail}")
            out.append("")
            for text in comment or ["(no description)"]:
                out.append("\t" + escape(text.strip()) if text else "")
            out.append("")
        elif comment:
            literal = False
            for t in comment:
                example = t.startswith("\t")
                if example != literal:  # runs of example lines: a literal block
                    out.append("```")
                    literal = example
                out.append(t.strip() if example else escape(t))
            if literal:
                out.append("```")
            out.append("")
        comment, keys = [], []

    for line in lines:
        m_section = SECTION.match(line)
        m_key = KEY.match(line)
        if m_section:
            flush()
            section = m_section.group(1)
            out.append(f"# [{escape(section)}]")
            out.append("")
        elif m_key and section:
            keys.append(m_key.groups())
        elif line.startswith("#"):
            if keys:
                flush()
            text = line[2:] if line.startswith("# ") else line[1:]
            if text.startswith("  "):  # an indented example line
                text = "\t" + text.strip()
            comment.append(text)
        elif not line.strip():
            if not section and comment:
                flush()
        else:  # a key continued over several lines (an array)
            name, value = keys[-1]
            keys[-1] = (name, value + " " + line.strip())
    flush()
    out += ["# SEE ALSO", "", "*feedd*(8)", ""]
    sys.stdout.write("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
