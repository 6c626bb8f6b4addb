// Stand-in for nanoFramework's nanoPackStruct.h (nothing the interop stubs use).
#ifndef EDGE_MICRO_STANDIN_NANOPACKSTRUCT_H
#define EDGE_MICRO_STANDIN_NANOPACKSTRUCT_H
#endif
