// The model compiled into a custom firmware image: the name.c that `edge-micro convert` writes defines these
// two symbols (unless compiled with EDGE_MICRO_NO_IMAGE_MODEL). They are weak references here, so an image
// built without a model links, and Edge.Micro.Interop.FlashModel.Open() then reports that it has none.
#ifndef EDGE_MICRO_IMAGE_MODEL_H
#define EDGE_MICRO_IMAGE_MODEL_H

#include <stdint.h>

extern "C"
{
    extern const uint8_t *const edge_micro_image_model __attribute__((weak));
    extern const uint32_t edge_micro_image_model_bytes __attribute__((weak));
}

// The image model's length in bytes, 0 when the image has none.
static inline uint32_t edge_micro_image_model_length()
{
    return &edge_micro_image_model_bytes != nullptr && &edge_micro_image_model != nullptr && edge_micro_image_model != nullptr
               ? edge_micro_image_model_bytes
               : 0u;
}

#endif
