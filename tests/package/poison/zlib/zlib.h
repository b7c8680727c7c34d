// A poisoned stand-in for <zlib.h> (tests/package/poison, see README there): an include directory
// placed first for a build that must not need zlib, so that any include of it fails.
#error "poisoned <zlib.h>: this build must not include it (it uses only nba components that need no zlib)"
