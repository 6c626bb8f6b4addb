namespace Edge.Micro.Training.Learning;

/// <summary>
/// SpecAugment (Park et al. 2019) without time warping: up to two time masks and two channel masks; and a
/// random time shift of the whole image.
/// </summary>
public static class SpecAugment
{
    private const int MaxTimeMask = 6, MaxChannelMask = 5, Masks = 2, MaxShiftFrames = 6;

    /// <summary>Shifts the 49x40 image by up to 6 frames either way, repeating the edge frame into the gap.</summary>
    public static void TimeShift(Span<float> image, Random rng)
    {
        const int frames = Network.Frames, channels = Network.Channels;
        int shift = rng.Next(-MaxShiftFrames, MaxShiftFrames + 1);
        if (shift > 0)
        {
            image[..((frames - shift) * channels)].CopyTo(image[(shift * channels)..]);
            for (int f = 0; f < shift; f++)
            {
                image.Slice(shift * channels, channels).CopyTo(image.Slice(f * channels, channels));
            }
        }
        else if (shift < 0)
        {
            int s = -shift;
            image[(s * channels)..].CopyTo(image);
            for (int f = frames - s; f < frames; f++)
            {
                image.Slice((frames - s - 1) * channels, channels).CopyTo(image.Slice(f * channels, channels));
            }
        }
    }

    /// <summary>Masks a 49x40 feature image in place (masked values become 0, the quietest feature).</summary>
    public static void Apply(Span<float> image, Random rng)
    {
        const int frames = Network.Frames, channels = Network.Channels;
        for (int m = 0; m < Masks; m++)
        {
            int width = rng.Next(MaxTimeMask + 1), start = rng.Next(frames - width + 1);
            image.Slice(start * channels, width * channels).Clear();
            int height = rng.Next(MaxChannelMask + 1), first = rng.Next(channels - height + 1);
            for (int f = 0; f < frames; f++)
            {
                image.Slice(f * channels + first, height).Clear();
            }
        }
    }
}
