#include "config.h"
#include "vd-core.h"
int main (void) { return 0; }
