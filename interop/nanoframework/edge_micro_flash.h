// The flash the model store of a custom image uses (interop/include/em_model_store.h): on an ESP32 three data
// partitions of the partition table, labelled emodel0, emodel1 (the model slots, 256 KB each suits any model of this
// project) and emstate (two 4 KB sectors: which slot runs and the saved settings). NULL where the image has none.
#ifndef EDGE_MICRO_FLASH_H
#define EDGE_MICRO_FLASH_H

#include "em_model_store.h"

#ifdef __cplusplus
extern "C" {
#endif

const em_flash *edge_micro_flash(void);

#ifdef __cplusplus
}
#endif

#endif
