"""Limits that keep a hostile or damaged experiment file from exhausting memory (a "zip
bomb"). Apart from :mod:`.persistence` so the memory estimate (which the persistence
module itself uses) can read them without an import cycle."""
MAX_FILE_BYTES = 1024 * 2**20            # the .nnvis file on disk
MAX_UNCOMPRESSED_BYTES = 512 * 2**20     # all members together, as declared in the zip
MAX_MANIFEST_BYTES = 16 * 2**20
MAX_MEMBERS = 20_000
NPY_HEADER_SLACK = 4096                  # a .npy member may exceed its data by this much
MAX_COMPRESSION_RATIO = 1100             # deflate cannot exceed ~1032:1
