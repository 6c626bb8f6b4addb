/*
 * Bare-metal start for an Xtensa LX106 (ESP8266's core; the closest Xtensa that Debian's cross compiler and QEMU
 * both have to the ESP32's LX6) under QEMU's `sim` machine, with picolibc as the C library:
 *   - _start sits at the core's reset vector (0x50000000, the start of the sim machine's system ROM, which QEMU
 *     loads like RAM), sets the stack pointer and calls em_xtensa_start. The call0 ABI: no register windows.
 *   - em_xtensa_start zeroes .bss (QEMU loads .data where it is linked), asks the simulator for the command line
 *     and runs main; its return value is the exit code.
 *   - open/read/write/close/lseek/_exit are the simulator's SIMCALL semihosting calls (QEMU -semihosting), so
 *     picolibc's fopen, fread and printf reach the host's files and terminal.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

/* Call numbers of the Xtensa simulator's SIMCALL interface (QEMU target/xtensa/xtensa-semi.c). */
enum {
    SIMCALL_EXIT = 1,
    SIMCALL_READ = 3,
    SIMCALL_WRITE = 4,
    SIMCALL_OPEN = 5,
    SIMCALL_CLOSE = 6,
    SIMCALL_LSEEK = 19,
    SIMCALL_ARGC = 1000,
    SIMCALL_ARGV_SIZE = 1001,
    SIMCALL_ARGV = 1002,
};

/* The host's open flags (QEMU passes them to the host's open unchanged): Linux values. */
enum { HOST_O_WRONLY = 01, HOST_O_RDWR = 02, HOST_O_CREAT = 0100, HOST_O_TRUNC = 01000, HOST_O_APPEND = 02000 };

enum { ARGV_BYTES = 4096 };

extern char __bss_start[], __bss_end[];
extern int main(int argc, char **argv);
void em_xtensa_start(void) __attribute__((noreturn));

__asm__(".section .reset, \"ax\"\n"
        ".global _start\n"
        "_start:\n"
        "    j 1f\n"
        "    .align 4\n"
        ".Lstack_top: .word __stack_top\n"
        ".Lstart_c: .word em_xtensa_start\n"
        "1:  l32r a1, .Lstack_top\n"
        "    l32r a0, .Lstart_c\n"
        "    callx0 a0\n"
        "2:  j 2b\n"
        ".text\n");

/* One SIMCALL: the call number in a2, arguments in a3..a5; the result comes back in a2, the errno in a3. */
static int simcall(int call, int a, int b, int c, int *error)
{
    register int a2 __asm__("a2") = call;
    register int a3 __asm__("a3") = a;
    register int a4 __asm__("a4") = b;
    register int a5 __asm__("a5") = c;
    __asm__ volatile("simcall" : "+r"(a2), "+r"(a3) : "r"(a4), "r"(a5) : "memory");
    if (error) {
        *error = a3;
    }
    return a2;
}

static int simcall_checked(int call, int a, int b, int c)
{
    int error = 0;
    const int result = simcall(call, a, b, c, &error);
    if (result < 0) {
        errno = error;
    }
    return result;
}

void _exit(int code)
{
    simcall(SIMCALL_EXIT, code, 0, 0, NULL);
    for (;;) {
    }
}

int open(const char *path, int flags, ...)
{
    int mode = 0;
    if (flags & O_CREAT) {
        va_list args;
        va_start(args, flags);
        mode = va_arg(args, int);
        va_end(args);
    }
    int host_flags = (flags & O_ACCMODE) == O_WRONLY ? HOST_O_WRONLY : (flags & O_ACCMODE) == O_RDWR ? HOST_O_RDWR : 0;
    host_flags |= (flags & O_CREAT) ? HOST_O_CREAT : 0;
    host_flags |= (flags & O_TRUNC) ? HOST_O_TRUNC : 0;
    host_flags |= (flags & O_APPEND) ? HOST_O_APPEND : 0;
    return simcall_checked(SIMCALL_OPEN, (int)(intptr_t)path, host_flags, mode);
}

ssize_t read(int fd, void *buffer, size_t count)
{
    return simcall_checked(SIMCALL_READ, fd, (int)(intptr_t)buffer, (int)count);
}

ssize_t write(int fd, const void *buffer, size_t count)
{
    return simcall_checked(SIMCALL_WRITE, fd, (int)(intptr_t)buffer, (int)count);
}

int close(int fd)
{
    return fd <= 2 ? 0 : simcall_checked(SIMCALL_CLOSE, fd, 0, 0);
}

off_t lseek(int fd, off_t offset, int whence)
{
    return simcall_checked(SIMCALL_LSEEK, fd, (int)offset, whence);
}

/* picolibc's standard streams: characters go straight to the host's file descriptors 1 and 2. */
static int put_stdout(char c, FILE *stream)
{
    (void)stream;
    return write(1, &c, 1) == 1 ? (unsigned char)c : EOF;
}

static int put_stderr(char c, FILE *stream)
{
    (void)stream;
    return write(2, &c, 1) == 1 ? (unsigned char)c : EOF;
}

static FILE em_stdout = FDEV_SETUP_STREAM(put_stdout, NULL, NULL, _FDEV_SETUP_WRITE);
static FILE em_stderr = FDEV_SETUP_STREAM(put_stderr, NULL, NULL, _FDEV_SETUP_WRITE);
FILE *const stdin = NULL;
FILE *const stdout = &em_stdout;
FILE *const stderr = &em_stderr;

void em_xtensa_start(void)
{
    static uint32_t argv_words[ARGV_BYTES / 4];
    memset(__bss_start, 0, (size_t)(__bss_end - __bss_start));
    int argc = simcall(SIMCALL_ARGC, 0, 0, 0, NULL);
    const int argv_size = simcall(SIMCALL_ARGV_SIZE, 0, 0, 0, NULL);
    if (argc < 0 || argv_size < 0 || argv_size > ARGV_BYTES) {
        argc = 0;
    } else {
        simcall(SIMCALL_ARGV, (int)(intptr_t)argv_words, 0, 0, NULL);
    }
    _exit(main(argc, argc > 0 ? (char **)argv_words : NULL));
}
