/* A native library with planted strings where compilers put them; see
   generate.sh. Nothing here is a real credential. */
#include <stddef.h>

/* .rodata: a string literal */
const char *api_key(void) { return "AKIAQ3EGRB5TCWLUW4NX"; }

/* .data: a writable array */
char endpoint[] = "http://telemetry.insecure-backend.net/collect";

/* .data.rel.ro: a table of pointers to literals (the literals in .rodata) */
const char *const hosts[] = {"https://primary.example-backend.net", "https://fallback.example-backend.net"};

/* .dynstr only: a JNI export whose name is not content */
int Java_com_example_Native_secretTokenLength(void) { return (int)sizeof(endpoint); }

const char *host(size_t i) { return hosts[i & 1]; }
