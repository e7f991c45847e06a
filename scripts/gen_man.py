#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""gen_man.py: the man pages, generated from what the programs and headers say, so they
cannot drift from `--help` or from the API.

  gen_man.py hermes HERMES_BIN VERSION OUT.1       hermes(1): `hermes help` and `hermes CMD --help`
  gen_man.py xdma-fuse XDMA_FUSE_BIN VERSION OUT.1  xdma-fuse(1): `xdma-fuse --help`
  gen_man.py libhermes HERMES_H VERSION OUT.3       libhermes(3): every declaration of hermes.h
                                                    with the comment that documents it
A command whose --help fails (exit status not 0, or nothing on stdout) fails the build.
"""

import os
import re
import subprocess
import sys
import time

# SOURCE_DATE_EPOCH: reproducible pages (Debian's convention), else today.
DATE = time.strftime("%Y-%m-%d", time.gmtime(int(os.environ.get("SOURCE_DATE_EPOCH", time.time()))))


def roff(text):
    """Escape text for a roff line: backslashes, leading dots and quotes."""
    out = []
    for line in text.split("\n"):
        line = line.replace("\\", "\\e").replace("-", "\\-")
        if line.startswith((".", "'")):
            line = "\\&" + line
        out.append(line)
    return "\n".join(out)


def verbatim(text):
    return ".nf\n.RS 4\n" + roff(text.rstrip("\n")) + "\n.RE\n.fi\n"


def run_help(argv):
    proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          timeout=60)
    if proc.returncode != 0 or not proc.stdout.strip():
        sys.exit(f"gen_man.py: `{' '.join(argv)}` exited {proc.returncode}"
                 f"{' with nothing on stdout' if not proc.stdout.strip() else ''}: "
                 f"{proc.stderr.strip()[:300]}")
    return proc.stdout


def header(name, section, version, title):
    return (f'.TH {name.upper()} {section} "{DATE}" "hermes {version}" "{title}"\n'
            ".SH NAME\n")


def page_hermes(binary, version):
    top = run_help([binary, "--help"])
    commands = []
    for line in top.splitlines():
        m = re.match(r"^\s+hermes\s+(?:\[-d DEV\]\s+)?([a-z][a-z0-9-]*)\b", line)
        if m and m.group(1) not in commands and m.group(1) != "help":
            commands.append(m.group(1))
    if not commands:
        sys.exit("gen_man.py: `hermes --help` lists no command")
    out = [header("hermes", 1, version, "Hermes eBPF accelerator"),
           "hermes \\- run eBPF programs on a Hermes card, its simulator or the reference VM\n",
           ".SH SYNOPSIS\n", ".B hermes\n", "[\\fB\\-d\\fR \\fIDEV\\fR] \\fICOMMAND\\fR [\\fIARGS\\fR]\n",
           ".br\n.B hermes \\-\\-version\n.br\n.B hermes help\n.br\n",
           ".B hermes\n\\fICOMMAND\\fR \\fB\\-\\-help\\fR\n",
           ".SH DESCRIPTION\n",
           "Each section below is what the command prints for \\fB\\-\\-help\\fR "
           "(this page is generated from it).\n",
           ".SH OVERVIEW\n", verbatim(top), ".SH COMMANDS\n"]
    for cmd in commands:
        out.append(f".SS {cmd}\n")
        out.append(verbatim(run_help([binary, cmd, "--help"])))
    out += [".SH ENVIRONMENT\n",
            ".TP\n.B HERMES_DEVICE\nthe device used without \\fB\\-d\\fR (default \\fBsim\\fR).\n",
            ".TP\n.B HERMES_TRACE\nan FST waveform file written by every run on the simulated card.\n",
            ".SH EXIT STATUS\n",
            "0 on success, 1 when the command failed (the reason on standard error), "
            "2 on wrong usage (the usage on standard error).\n",
            ".SH SEE ALSO\n", ".BR xdma-fuse (1),\n", ".BR libhermes (3)\n"]
    return "".join(out)


def page_xdma_fuse(binary, version):
    text = run_help([binary, "--help"])
    return "".join([header("xdma-fuse", 1, version, "Hermes eBPF accelerator"),
                    "xdma-fuse \\- serve the simulated Hermes card as Xilinx XDMA device nodes "
                    "over FUSE\n",
                    ".SH SYNOPSIS\n", ".B xdma-fuse\n", "\\fIMOUNTPOINT\\fR [\\fIoptions\\fR]\n",
                    ".SH OPTIONS\n", "What \\fBxdma-fuse \\-\\-help\\fR prints:\n", verbatim(text),
                    ".SH SEE ALSO\n", ".BR hermes (1),\n", ".BR libhermes (3)\n"])


def api_blocks(text):
    """(comment, code) pairs of a header, in order: a block comment and the declarations
    that follow it up to the next blank line; later paragraphs of code stand alone."""
    text = re.sub(r"^#(?:ifndef|define|endif|ifdef|include|if)\b.*$", "", text, flags=re.M)
    text = re.sub(r'^(?:extern "C" \{|\})\s*$', "", text, flags=re.M)
    blocks, comment = [], ""
    for part in re.split(r"(/\*.*?\*/)", text, flags=re.S):
        if part.startswith("/*"):
            body = "\n".join(re.sub(r"^\s*\*? ?", "", ln) for ln in part[2:-2].split("\n"))
            body = re.sub(r"^=+\s*|\s*=+$", "", body.strip(), flags=re.M).strip()
            if body.startswith("SPDX-License-Identifier"):
                continue
            comment = (comment + "\n\n" + body).strip()
            continue
        paras = [p.strip("\n") for p in re.split(r"\n\s*\n", part) if p.strip()]
        for i, code in enumerate(paras):
            blocks.append((comment if i == 0 else "", code))
            comment = ""
    if comment:
        blocks.append((comment, ""))
    return blocks


def prose(comment):
    """A comment as roff: indented paragraphs (lists, tables) verbatim, the rest filled."""
    out = []
    for para in re.split(r"\n\s*\n", comment):
        if any(ln.startswith(" ") for ln in para.split("\n")[1:]) or para.startswith(" "):
            out.append(verbatim(para))
        else:
            out.append(".PP\n" + roff(para) + "\n")
    return "".join(out)


def page_libhermes(header_path, version):
    with open(header_path, encoding="utf-8") as f:
        text = f.read()
    # Field comments on the same line as their code stay with the code.
    text = re.sub(r"(\S[^\n]*?)(/\*[^\n]*?\*/)", lambda m: m.group(1) + m.group(2).replace("/*", "/\x01"),
                  text)
    blocks = api_blocks(text)
    out = [header("libhermes", 3, version, "Hermes eBPF accelerator"),
           "libhermes \\- host runtime of the Hermes eBPF accelerator\n",
           ".SH SYNOPSIS\n", ".nf\n.B #include <hermes/hermes.h>\n.fi\n",
           "Link with \\fB$(pkg\\-config \\-\\-cflags \\-\\-libs libhermes)\\fR, or "
           "\\fBfind_package(hermes)\\fR and \\fBhermes::hermes\\fR in CMake.\n",
           ".SH DESCRIPTION\n"]
    first = True
    for comment, code in blocks:
        comment = comment.replace("/\x01", "/*")
        code = code.replace("/\x01", "/*")
        if first:   # the file's own comment: the overview
            first = False
            out.append(prose(re.sub(r"^hermes/hermes\.h - ", "", comment)))
            comment = ""
        if code.strip():
            out.append(".PP\n" + verbatim(code))
        if comment:
            out.append(prose(comment))
    out += [".SH RETURN VALUE\n",
            "Functions return 0 (or a count) on success and a negative errno on failure; "
            "\\fBhermes_dev_errmsg\\fR() or \\fBhermes_queue_errmsg\\fR() then says what "
            "went wrong. The library never prints.\n",
            ".SH SEE ALSO\n", ".BR hermes (1),\n", ".BR xdma-fuse (1)\n"]
    return "".join(out)


def main(argv):
    if len(argv) != 5:
        sys.exit(__doc__)
    kind, src, version, dest = argv[1:]
    pages = {"hermes": page_hermes, "xdma-fuse": page_xdma_fuse, "libhermes": page_libhermes}
    if kind not in pages:
        sys.exit(f"gen_man.py: unknown page '{kind}' (hermes, xdma-fuse, libhermes)")
    text = pages[kind](src, version)
    with open(dest, "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    main(sys.argv)
