/*
 * Bare-metal start for a Cortex-M4F under QEMU's mps2-an386 board: the vector table (initial stack pointer and
 * reset handler), the FPU switched on before any hard-float code, then newlib's _start (rdimon: semihosting gives
 * main its command line, files, stdout and the exit code). Faults stop in a loop that QEMU's timeout ends.
 */
#include <stdint.h>

extern void _start(void);
extern uint32_t __stack_top;

#define CPACR (*(volatile uint32_t *)0xE000ED88u)
#define CPACR_CP10_CP11_FULL (0xFu << 20)

static void reset_handler(void)
{
    CPACR |= CPACR_CP10_CP11_FULL;
    __asm volatile("dsb\n\tisb");
    _start();
    for (;;) {
    }
}

static void fault_handler(void)
{
    for (;;) {
    }
}

/* Initial SP, reset, NMI, hard fault, memory, bus, usage fault, 4 reserved, SVCall, debug, reserved, PendSV, SysTick. */
__attribute__((section(".vectors"), used)) void (*const em_vectors[16])(void) = {
    (void (*)(void))&__stack_top, reset_handler, fault_handler, fault_handler, fault_handler, fault_handler, fault_handler,
    0, 0, 0, 0, fault_handler, fault_handler, 0, fault_handler, fault_handler,
};
