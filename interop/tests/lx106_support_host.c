/* The LX106 compiler-support routines (baremetal/libgcc_lx106.c) built for the host under names of their own
   (em_lx106__addsf3...), so lx106_support_test.cc can compare them with the host's hardware. The host's libgcc
   has no __udivmoddi4 (x86-64 divides 64-bit numbers in hardware): the hardware stands in for it. */
#include <stdint.h>

#define EM_SUPPORT_NAME(name) em_lx106##name
#define __udivmoddi4 em_host_udivmoddi4

uint64_t em_host_udivmoddi4(uint64_t a, uint64_t b, uint64_t *remainder)
{
    if (remainder) *remainder = a % b;
    return a / b;
}

#include "../baremetal/libgcc_lx106.c"
