/*
 * The TFLM micro front end (the micro_speech audio preprocessor) in integer C, bit-exact with TFLM's signal
 * library and with Edge.Micro.Audio.FrontEnd.MicroFrontend (the managed reference): window, kissfft Q15 real
 * FFT, energy, mel filterbank, square root, spectral subtraction, PCAN gain control, log, int8 features.
 */
#include <string.h>

#include "edge_micro.h"

/* ---- kissfft 1.3.0 fixed point (FIXED_POINT=16) ---- */
#define FRAC_BITS 15
#define SAMP_MAX 32767

static inline int16_t sround(int32_t x) { return (int16_t)((x + (1 << (FRAC_BITS - 1))) >> FRAC_BITS); }
static inline int16_t fixdiv(int32_t x, int32_t div) { return sround(x * (SAMP_MAX / div)); }

typedef struct {
    int16_t r, i;
} cpx;

static void bfly2(cpx *f, const cpx *tw, int32_t fstride, int32_t m)
{
    cpx *f2 = f + m;
    for (int32_t k = 0; k < m; k++, f++, f2++, tw += fstride) {
        cpx a = {fixdiv(f->r, 2), fixdiv(f->i, 2)};
        cpx b = {fixdiv(f2->r, 2), fixdiv(f2->i, 2)};
        cpx t = {sround(b.r * tw->r - b.i * tw->i), sround(b.r * tw->i + b.i * tw->r)};
        f2->r = (int16_t)(a.r - t.r);
        f2->i = (int16_t)(a.i - t.i);
        f->r = (int16_t)(a.r + t.r);
        f->i = (int16_t)(a.i + t.i);
    }
}

/*
 * Radix-4 butterfly. kissfft keeps every intermediate in int16; here they stay in int32 registers, which is
 * exact because after the divide-by-4 no intermediate can leave the int16 range (|f| <= 8192, so products
 * round to <= 16384 and the partial sums stay below 23170); only the four outputs can wrap, and they are
 * stored as int16 exactly as kissfft stores them.
 */
static void bfly4(cpx *f, const cpx *twiddles, int32_t fstride, int32_t m)
{
    const cpx *tw1 = twiddles, *tw2 = twiddles, *tw3 = twiddles;
    for (int32_t k = 0; k < m; k++, f++) {
        const int32_t f0r = fixdiv(f[0].r, 4), f0i = fixdiv(f[0].i, 4);
        const int32_t f1r = fixdiv(f[m].r, 4), f1i = fixdiv(f[m].i, 4);
        const int32_t f2r = fixdiv(f[2 * m].r, 4), f2i = fixdiv(f[2 * m].i, 4);
        const int32_t f3r = fixdiv(f[3 * m].r, 4), f3i = fixdiv(f[3 * m].i, 4);
        const int32_t w1r = tw1->r, w1i = tw1->i, w2r = tw2->r, w2i = tw2->i, w3r = tw3->r, w3i = tw3->i;
        const int32_t s0r = (f1r * w1r - f1i * w1i + (1 << 14)) >> 15, s0i = (f1r * w1i + f1i * w1r + (1 << 14)) >> 15;
        const int32_t s1r = (f2r * w2r - f2i * w2i + (1 << 14)) >> 15, s1i = (f2r * w2i + f2i * w2r + (1 << 14)) >> 15;
        const int32_t s2r = (f3r * w3r - f3i * w3i + (1 << 14)) >> 15, s2i = (f3r * w3i + f3i * w3r + (1 << 14)) >> 15;
        const int32_t s5r = f0r - s1r, s5i = f0i - s1i;
        const int32_t a0r = f0r + s1r, a0i = f0i + s1i;
        const int32_t s3r = s0r + s2r, s3i = s0i + s2i;
        const int32_t s4r = s0r - s2r, s4i = s0i - s2i;
        f[2 * m].r = (int16_t)(a0r - s3r);
        f[2 * m].i = (int16_t)(a0i - s3i);
        f[0].r = (int16_t)(a0r + s3r);
        f[0].i = (int16_t)(a0i + s3i);
        f[m].r = (int16_t)(s5r + s4i);
        f[m].i = (int16_t)(s5i - s4r);
        f[3 * m].r = (int16_t)(s5r - s4i);
        f[3 * m].i = (int16_t)(s5i + s4r);
        tw1 += fstride;
        tw2 += 2 * fstride;
        tw3 += 3 * fstride;
    }
}

/* Input value scaled up by FftAutoScale's bits (int16 wrap, as TFLM multiplies and stores). */
static inline int32_t scaled(int16_t v, int32_t shift) { return (int16_t)(uint16_t)((uint32_t)(uint16_t)v << shift); }

/*
 * The first stage of the radix-4 transform, fused with gathering the (scaled) input: kissfft copies each
 * group of four inputs into place and runs a butterfly whose twiddles are all e^0 = (32767, 0).
 */
static void leaf4(cpx *out, const cpx *in, int32_t fstride, int32_t shift)
{
    const int32_t f0r = fixdiv(scaled(in[0].r, shift), 4), f0i = fixdiv(scaled(in[0].i, shift), 4);
    const int32_t f1r = fixdiv(scaled(in[fstride].r, shift), 4), f1i = fixdiv(scaled(in[fstride].i, shift), 4);
    const int32_t f2r = fixdiv(scaled(in[2 * fstride].r, shift), 4), f2i = fixdiv(scaled(in[2 * fstride].i, shift), 4);
    const int32_t f3r = fixdiv(scaled(in[3 * fstride].r, shift), 4), f3i = fixdiv(scaled(in[3 * fstride].i, shift), 4);
    const int32_t s0r = (f1r * SAMP_MAX + (1 << 14)) >> 15, s0i = (f1i * SAMP_MAX + (1 << 14)) >> 15;
    const int32_t s1r = (f2r * SAMP_MAX + (1 << 14)) >> 15, s1i = (f2i * SAMP_MAX + (1 << 14)) >> 15;
    const int32_t s2r = (f3r * SAMP_MAX + (1 << 14)) >> 15, s2i = (f3i * SAMP_MAX + (1 << 14)) >> 15;
    const int32_t s5r = f0r - s1r, s5i = f0i - s1i;
    const int32_t a0r = f0r + s1r, a0i = f0i + s1i;
    const int32_t s3r = s0r + s2r, s3i = s0i + s2i;
    const int32_t s4r = s0r - s2r, s4i = s0i - s2i;
    out[2].r = (int16_t)(a0r - s3r);
    out[2].i = (int16_t)(a0i - s3i);
    out[0].r = (int16_t)(a0r + s3r);
    out[0].i = (int16_t)(a0i + s3i);
    out[1].r = (int16_t)(s5r + s4i);
    out[1].i = (int16_t)(s5i - s4r);
    out[3].r = (int16_t)(s5r - s4i);
    out[3].i = (int16_t)(s5i + s4r);
}

static void kf_work(cpx *out, const cpx *in, int32_t fstride, const int32_t *factors, const cpx *twiddles, int32_t shift)
{
    const int32_t p = factors[0], m = factors[1];
    if (m == 1 && p == 4) {
        leaf4(out, in, fstride, shift);
        return;
    }
    cpx *end = out + p * m;
    cpx *o = out;
    if (m == 1) {
        for (; o != end; o++, in += fstride) {
            o->r = (int16_t)scaled(in->r, shift);
            o->i = (int16_t)scaled(in->i, shift);
        }
    } else {
        for (; o != end; o += m, in += fstride) {
            kf_work(o, in, fstride * p, factors + 2, twiddles, shift);
        }
    }
    if (p == 4) {
        bfly4(out, twiddles, fstride, m);
    } else {
        bfly2(out, twiddles, fstride, m);
    }
}

static void rfft(const em_frontend_tables *t, const int16_t *input, int32_t scale_bits, cpx *work, int16_t *spectrum)
{
    const int32_t n = t->fft_length / 2;
    const cpx *tw = (const cpx *)(const void *)t->twiddles;
    const cpx *super_tw = (const cpx *)(const void *)t->super_twiddles;
    kf_work(work, (const cpx *)(const void *)input, 1, t->factors, tw, scale_bits);
    const int16_t dc_r = fixdiv(work[0].r, 2), dc_i = fixdiv(work[0].i, 2);
    spectrum[0] = (int16_t)(dc_r + dc_i);
    spectrum[1] = 0;
    spectrum[2 * n] = (int16_t)(dc_r - dc_i);
    spectrum[2 * n + 1] = 0;
    for (int32_t k = 1; k <= n / 2; k++) {
        const int16_t fpk_r = fixdiv(work[k].r, 2), fpk_i = fixdiv(work[k].i, 2);
        const int16_t fpnk_r = fixdiv(work[n - k].r, 2), fpnk_i = fixdiv((int16_t)-work[n - k].i, 2);
        const int16_t f1k_r = (int16_t)(fpk_r + fpnk_r), f1k_i = (int16_t)(fpk_i + fpnk_i);
        const int16_t f2k_r = (int16_t)(fpk_r - fpnk_r), f2k_i = (int16_t)(fpk_i - fpnk_i);
        const cpx w = super_tw[k - 1];
        const int16_t t_r = sround(f2k_r * w.r - f2k_i * w.i), t_i = sround(f2k_r * w.i + f2k_i * w.r);
        spectrum[2 * k] = (int16_t)((f1k_r + t_r) >> 1);
        spectrum[2 * k + 1] = (int16_t)((f1k_i + t_i) >> 1);
        spectrum[2 * (n - k)] = (int16_t)((f1k_r - t_r) >> 1);
        spectrum[2 * (n - k) + 1] = (int16_t)((t_i - f1k_i) >> 1);
    }
}

/* ---- integer helpers (TFLM signal library) ---- */
static int32_t msb32(uint32_t x)
{
    int32_t n = 0;
    while (x) {
        n++;
        x >>= 1;
    }
    return n;
}

static int32_t msb64(uint64_t x)
{
    const uint32_t high = (uint32_t)(x >> 32);
    return high != 0 ? 32 + msb32(high) : msb32((uint32_t)x);
}

static uint32_t sqrt32(uint32_t num)
{
    if (num == 0) {
        return 0;
    }
    uint32_t res = 0;
    const int32_t max_bit = (32 - msb32(num)) | 1;
    uint32_t bit = 1u << (31 - max_bit);
    int32_t iterations = (31 - max_bit) / 2 + 1;
    while (iterations--) {
        if (num >= res + bit) {
            num -= res + bit;
            res = (res >> 1) + bit;
        } else {
            res >>= 1;
        }
        bit >>= 2;
    }
    if (num > res && res != 0xFFFF) {
        ++res;
    }
    return res & 0xFFFF;
}

static uint32_t sqrt64(uint64_t num)
{
    if ((num >> 32) == 0) {
        return sqrt32((uint32_t)num);
    }
    uint64_t res = 0;
    const int32_t max_bit = (64 - msb64(num)) | 1;
    uint64_t bit = (uint64_t)1 << (63 - max_bit);
    int32_t iterations = (63 - max_bit) / 2 + 1;
    while (iterations--) {
        if (num >= res + bit) {
            num -= res + bit;
            res = (res >> 1) + bit;
        } else {
            res >>= 1;
        }
        bit >>= 2;
    }
    if (num > res && res != 0xFFFFFFFFull) {
        ++res;
    }
    return (uint32_t)res;
}

static const uint16_t log_lut[] = {
    0,    224,  442,  654,  861,  1063, 1259, 1450, 1636, 1817, 1992, 2163, 2329, 2490, 2646, 2797, 2944, 3087, 3224, 3358,
    3487, 3611, 3732, 3848, 3960, 4068, 4172, 4272, 4368, 4460, 4549, 4633, 4714, 4791, 4864, 4934, 5001, 5063, 5123, 5178,
    5231, 5280, 5326, 5368, 5408, 5444, 5477, 5507, 5533, 5557, 5578, 5595, 5610, 5622, 5631, 5637, 5640, 5641, 5638, 5633,
    5626, 5615, 5602, 5586, 5568, 5547, 5524, 5498, 5470, 5439, 5406, 5370, 5332, 5291, 5249, 5203, 5156, 5106, 5054, 5000,
    4944, 4885, 4825, 4762, 4697, 4630, 4561, 4490, 4416, 4341, 4264, 4184, 4103, 4020, 3935, 3848, 3759, 3668, 3575, 3481,
    3384, 3286, 3186, 3084, 2981, 2875, 2768, 2659, 2549, 2437, 2323, 2207, 2090, 1971, 1851, 1729, 1605, 1480, 1353, 1224,
    1094, 963,  830,  695,  559,  421,  282,  142,  0,    0};

static uint32_t log32(uint32_t x, uint32_t out_scale)
{
    const int32_t integer = msb32(x) - 1;
    int32_t frac = (int32_t)(x - (uint32_t)(1ULL << integer));
    frac = integer < 16 ? (int32_t)((uint32_t)frac << (16 - integer)) : frac >> (integer - 16);
    const uint32_t base_seg = (uint32_t)frac >> (16 - 7);
    const int32_t c0 = log_lut[base_seg], c1 = log_lut[base_seg + 1];
    const int32_t seg_base = (int32_t)((65536u >> 7) * base_seg);
    const int32_t rel_pos = ((c1 - c0) * (frac - seg_base)) >> 16;
    const uint32_t fraction = (uint32_t)(frac + c0 + rel_pos);
    const uint32_t log2 = ((uint32_t)integer << 16) + fraction;
    const uint32_t loge = (uint32_t)((45426ull * log2 + 32768u) >> 16);
    return (out_scale * loge + 32768u) >> 16;
}

static int16_t wide_dynamic_function(uint32_t x, const int16_t *lut)
{
    if (x <= 2) {
        return lut[x];
    }
    const int32_t interval = msb32(x);
    lut += 4 * interval - 6;
    const int32_t frac = (int32_t)(((interval < 11) ? (x << (11 - interval)) : (x >> (interval - 11))) & 0x3FF);
    int32_t result = ((int32_t)lut[2] * frac) >> 5;
    result += (int32_t)((uint32_t)lut[1] << 5);
    result *= frac;
    result = (result + (1 << 14)) >> 15;
    result += lut[0];
    return (int16_t)result;
}

static uint32_t pcan_shrink(uint32_t x)
{
    if (x < (2u << 12)) {
        return (x * x) >> (2 + 2 * 12 - 6);
    }
    return (x >> (12 - 6)) - (1u << 6);
}

em_status em_frontend_process(const em_frontend_tables *t, uint32_t *noise, const int16_t *samples, int8_t *features,
                              int16_t *log_out)
{
    if (!t || !noise || !samples || !features) {
        return EM_ERR_NULL;
    }
    if (t->fft_length > EM_FRONTEND_MAX_FFT || t->window_length > t->fft_length || t->channels > EM_FRONTEND_MAX_CHANNELS ||
        t->channels < 1 || t->energy_end > t->fft_length / 2 + 1 || t->energy_start < 0) {
        return EM_ERR_PARAMS;
    }
    int16_t fft_in[EM_FRONTEND_MAX_FFT];
    cpx work[EM_FRONTEND_MAX_FFT / 2];
    int16_t spectrum[EM_FRONTEND_MAX_FFT + 2];
    uint32_t energy[EM_FRONTEND_MAX_FFT / 2 + 1];
    uint32_t signal[EM_FRONTEND_MAX_CHANNELS];

    /* window; the FFT's first stage scales the values up to use all 16 bits */
    int32_t max = 0;
    for (int32_t i = 0; i < t->window_length; i++) {
        int32_t raw = (samples[i] * t->window[i]) >> t->window_shift;
        const int16_t v = (int16_t)(raw < -32768 ? -32768 : (raw > 32767 ? 32767 : raw));
        fft_in[i] = v;
        if (v > max) {
            max = v;
        } else if (-v > max) {
            max = (int16_t)-v; /* TFLM's MaxAbs16: -(-32768) wraps */
        }
    }
    int32_t scale_bits = 16 - msb32((uint32_t)max & 0xFFFF) - 1;
    if (scale_bits < 0) {
        scale_bits = 0;
    }
    memset(fft_in + t->window_length, 0, sizeof(int16_t) * (size_t)(t->fft_length - t->window_length));

    rfft(t, fft_in, scale_bits, work, spectrum);

    memset(energy, 0, sizeof energy);
    for (int32_t i = t->energy_start; i < t->energy_end; i++) {
        const int32_t re = spectrum[2 * i], im = spectrum[2 * i + 1];
        energy[i] = (uint32_t)(re * re + im * im);
    }

    /* mel filterbank (channel 0 of the channels + 1 accumulators is scratch) and square root */
    uint64_t weight_acc = 0, unweight_acc = 0;
    for (int32_t c = 0; c <= t->channels; c++) {
        const int32_t freq = t->channel_frequency_starts[c], w0 = t->channel_weight_starts[c];
        for (int32_t j = 0; j < t->channel_widths[c]; j++) {
            const uint64_t e = energy[freq + j];
            weight_acc += (uint64_t)(int64_t)t->weights[w0 + j] * e;
            unweight_acc += (uint64_t)(int64_t)t->unweights[w0 + j] * e;
        }
        if (c > 0) {
            signal[c - 1] = sqrt64(weight_acc) >> scale_bits;
        }
        weight_acc = unweight_acc;
        unweight_acc = 0;
    }

    /* spectral subtraction, PCAN, log, int8 */
    const uint32_t one = 1u << t->spectral_subtraction_bits;
    for (int32_t i = 0; i < t->channels; i++) {
        const uint32_t smoothing = (uint32_t)((i & 1) == 0 ? t->even_smoothing : t->odd_smoothing);
        const uint32_t scaled_up = signal[i] << t->smoothing_bits;
        noise[i] = (uint32_t)(((uint64_t)scaled_up * smoothing + (uint64_t)noise[i] * (one - smoothing)) >> t->spectral_subtraction_bits);
        const uint32_t estimate = noise[i] > scaled_up ? scaled_up : noise[i];
        const uint32_t floor = (uint32_t)(((uint64_t)signal[i] * (uint32_t)t->min_signal_remaining) >> t->spectral_subtraction_bits);
        const uint32_t subtracted = (scaled_up - estimate) >> t->smoothing_bits;
        const uint32_t reduced = subtracted > floor ? subtracted : floor;

        const uint32_t gain = (uint32_t)wide_dynamic_function(noise[i], t->pcan_gain_lut);
        const uint32_t pcan = pcan_shrink((uint32_t)(((uint64_t)reduced * gain) >> t->pcan_snr_shift));

        const uint32_t scaled = pcan << t->log_correction_bits;
        int16_t log_value = 0;
        if (scaled > 1) {
            const uint32_t v = log32(scaled, (uint32_t)t->log_output_scale);
            log_value = (int16_t)(v < 32767 ? v : 32767);
        }
        if (log_out) {
            log_out[i] = log_value;
        }
        const int32_t f = (log_value * 256 + 333) / 666 - 128;
        features[i] = (int8_t)(f < -128 ? -128 : (f > 127 ? 127 : f));
    }
    return EM_OK;
}

em_status em_micro_frontend_process(uint32_t *noise_estimate, const int16_t *samples, int8_t *features, int16_t *log_out)
{
    return em_frontend_process(&em_micro_frontend_tables, noise_estimate, samples, features, log_out);
}
