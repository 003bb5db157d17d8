#!/usr/bin/env python3
"""The build's layering check: every library links exactly what it includes.

Reads the libraries feedd_library() recorded (name|folder|public|private)
and every #include of their files, then fails (exit 1, one line per
finding) when a library
  - includes a header of a feedd library, or of a third-party library in
    the table below, that it does not link (PUBLIC when a header includes
    it, PRIVATE is enough for .cc files);
  - links a library none of its files include, or links PUBLIC what only
    its .cc files include;
  - links a library of a later stage than its own (STAGES below), which
    is also how a cycle would show.
Run by the default build; also by hand: check_layering.py SOURCE_DIR LAYERING_TXT.
"""
import os
import re
import sys

# The pipeline, first to last: a folder may link only folders before it.
STAGES = [
    "feeds/core", "feeds/input", "feeds/parse", "feeds/index", "feeds/render",
    "feeds/pages", "feeds/publish", "config", "daemon/base", "daemon/state",
    "daemon/export", "daemon/rebuild", "daemon/push", "daemon/http",
    "daemon/serve", "daemon/cli",
]

# Third-party headers and the CMake target that provides each.
THIRD_PARTY = [
    (r"xxhash\.h$", "PkgConfig::XXHASH"),
    (r"curl/", "CURL::libcurl"),
    (r"gumbo\.h$", "PkgConfig::GUMBO"),
    (r"boost/url", "Boost::url"),
    (r"boost/(asio|beast)", "Boost::headers"),
    (r"pugixml\.hpp$", "pugixml::pugixml"),
    (r"toml\+\+/", "PkgConfig::TOMLPLUSPLUS"),
    (r"yaml-cpp/", "yaml-cpp"),
    (r"md4c(-html)?\.h$", "PkgConfig::MD4C"),
    (r"re2/", "PkgConfig::RE2"),
    (r"uchardet/", "PkgConfig::UCHARDET"),
    (r"libdeflate\.h$", "PkgConfig::LIBDEFLATE"),
    (r"nlohmann/", "nlohmann_json::nlohmann_json"),
    (r"sqlite3\.h$", "SQLite::SQLite3"),
    (r"systemd/", "PkgConfig::SYSTEMD"),
    (r"CLI/", "CLI11::CLI11"),
    (r"zlib\.h$", "ZLIB::ZLIB"),
]

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)


def main(source_dir, layering_txt):
    libraries = {}  # name -> (folder, public set, private set)
    for line in open(layering_txt, encoding="utf-8"):
        line = line.strip()
        if not line:
            continue
        name, folder, public, private = line.split("|")
        libraries[name] = (folder, set(filter(None, public.split(","))),
                           set(filter(None, private.split(","))))
    by_folder = {folder: name for name, (folder, _, _) in libraries.items()}
    problems = []

    def owner(header):
        folder = os.path.dirname(header)
        return by_folder.get(folder)

    for name, (folder, public, private) in sorted(libraries.items()):
        if folder not in STAGES:
            problems.append(f"{folder}: not in the stage list of cmake/check_layering.py")
            continue
        needs_public, needs_private = set(), set()
        root = os.path.join(source_dir, folder)
        for file in sorted(os.listdir(root)):
            if not file.endswith((".h", ".cc")):
                continue
            path = os.path.join(root, file)
            text = open(path, encoding="utf-8").read()
            for kind, header in INCLUDE.findall(text):
                needed = None
                if kind == '"':
                    needed = owner(header)
                    if needed is None and (header.startswith(("feeds/", "daemon/", "config/"))):
                        problems.append(f"{folder}/{file}: includes {header}, which no library owns")
                        continue
                else:
                    for pattern, target in THIRD_PARTY:
                        if re.search(pattern, header):
                            needed = target
                            break
                if needed is None or needed == name:
                    continue
                (needs_public if file.endswith(".h") else needs_private).add(needed)
                if needed in libraries:
                    dep_folder = libraries[needed][0]
                    if dep_folder in STAGES and STAGES.index(dep_folder) >= STAGES.index(folder):
                        problems.append(f"{folder}/{file}: includes {header}, of a later stage ({dep_folder})")
        needs_private -= needs_public
        linked = public | private
        for lib in sorted(needs_public - public):
            problems.append(f"{name} ({folder}): a header includes {lib}; link it PUBLIC")
        for lib in sorted(needs_private - linked):
            problems.append(f"{name} ({folder}): includes {lib} without linking it")
        for lib in sorted(linked - needs_public - needs_private):
            problems.append(f"{name} ({folder}): links {lib} but includes none of it")
        for lib in sorted((public & needs_private) - needs_public):
            problems.append(f"{name} ({folder}): links {lib} PUBLIC, but only .cc files include it; make it PRIVATE")
    for p in problems:
        print(f"layering: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
