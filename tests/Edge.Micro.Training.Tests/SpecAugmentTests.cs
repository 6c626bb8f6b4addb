using Edge.Micro.Training.Learning;

namespace Edge.Micro.Training.Tests;

/// <summary>The feature-space augmentations keep the image's content where they promise to.</summary>
public class SpecAugmentTests
{
    private static float[] Rows() => Enumerable.Range(0, Network.Frames * Network.Channels).Select(i => (float)(i / Network.Channels)).ToArray();

    [Fact]
    public void Time_shift_moves_whole_frames_and_repeats_the_edge_frame()
    {
        for (int seed = 0; seed < 20; seed++)
        {
            float[] image = Rows();
            SpecAugment.TimeShift(image, new Random(seed));
            float[] frames = Enumerable.Range(0, Network.Frames).Select(f => image[f * Network.Channels]).ToArray();
            for (int f = 0; f < Network.Frames; f++)
            {
                Assert.All(image.AsSpan(f * Network.Channels, Network.Channels).ToArray(), v => Assert.Equal(frames[f], v));
            }

            // Consecutive frames differ by 0 (repeated edge) or 1 (moved content), never reorder.
            for (int f = 1; f < Network.Frames; f++)
            {
                Assert.InRange(frames[f] - frames[f - 1], 0f, 1f);
            }

            Assert.InRange(frames[0], 0f, 6f);
            Assert.InRange(frames[^1], 42f, 48f);
        }
    }

    [Fact]
    public void Masks_only_zero_values_and_never_more_than_two_bands_each_way()
    {
        float[] image = Rows().Select(v => v + 1).ToArray();
        SpecAugment.Apply(image, new Random(4));
        float[] original = Rows().Select(v => v + 1).ToArray();
        for (int i = 0; i < image.Length; i++)
        {
            Assert.True(image[i] == original[i] || image[i] == 0);
        }

        int maskedFrames = Enumerable.Range(0, Network.Frames).Count(f => image.AsSpan(f * Network.Channels, Network.Channels).ToArray().All(v => v == 0));
        Assert.InRange(maskedFrames, 0, 12);
    }
}
