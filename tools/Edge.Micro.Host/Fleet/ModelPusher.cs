using Edge.Micro.Device.Update;
using Edge.Micro.Runtime.Format;

namespace Edge.Micro.Host.Fleet;

/// <summary>What a push ended with: whether the device runs the model, and what it said.</summary>
public sealed record PushResult(bool Switched, string Message, int BytesSent, string? ModelCrc, int Slot)
{
    /// <summary>Bytes of this same model the device already held when the push began (a resumed transfer), else 0.</summary>
    public int ResumedAt { get; init; }
}

/// <summary>
/// Sends an .emm to a device's <c>update</c> command (docs/fleet.md, "Model update"): begin with length and CRC-32
/// (the device answers how much of the same image it already holds, so an interrupted push resumes), chunks of
/// at most <see cref="ModelUpdate.MaxChunkBytes"/> bytes each with its CRC-32 and acknowledged with the bytes
/// received so far, then commit, which the device answers only after its checks and self-test.
/// </summary>
public static class ModelPusher
{
    /// <summary>Times a damaged chunk is sent again before the push gives up.</summary>
    public const int Retries = 3;

    /// <summary>
    /// Pushes <paramref name="emm"/>; <paramref name="progress"/> gets (bytes the device holds, total). With
    /// <paramref name="stopAfterBytes"/> it stops sending once the device holds that many bytes (no commit): an
    /// interrupted transfer, for tests and for `push-model --stop-after`.
    /// </summary>
    public static PushResult Push(ShellConnection device, byte[] emm, TimeSpan timeout, Action<int, int>? progress = null, int? stopAfterBytes = null)
        => Send(device, emm, timeout, progress, stopAfterBytes);

    private static PushResult Send(ShellConnection device, byte[] emm, TimeSpan timeout, Action<int, int>? progress, int? stopAfterBytes)
    {
        if (emm.Length < EmmFormat.HeaderBytes || BitConverter.ToUInt32(emm, EmmFormat.HeaderMagic) != EmmFormat.Magic)
        {
            throw new ArgumentException("not an .emm model (convert a .tflite with edge-micro convert first)");
        }

        uint crc = Crc32.Compute(emm, 0, emm.Length);
        ShellReply begin = device.Exchange($"update begin {emm.Length} {crc:x8}", timeout);
        if (!begin.Ok)
        {
            return new PushResult(false, begin.Error ?? "refused", 0, null, -1);
        }

        int received = int.Parse(begin.Field("received") ?? "0");
        int resumedAt = received;
        progress?.Invoke(received, emm.Length);
        int retries = 0;
        while (received < emm.Length && (stopAfterBytes is not int stop || received < stop))
        {
            int count = Math.Min(ModelUpdate.MaxChunkBytes, emm.Length - received);
            uint chunkCrc = Crc32.Compute(emm, received, count);
            ShellReply data = device.Exchange($"update data {received} {Convert.ToHexString(emm, received, count)} {chunkCrc:x8}", timeout);
            if (data.Ok)
            {
                received = int.Parse(data.Field("received") ?? throw new InvalidDataException("the device's update answer has no received field"));
                retries = 0;
                progress?.Invoke(received, emm.Length);
                continue;
            }

            if (data.Error is string e && e.StartsWith("expected offset ", StringComparison.Ordinal) && int.TryParse(e["expected offset ".Length..], out int expected))
            {
                received = expected;
            }
            else if (++retries > Retries)
            {
                return new PushResult(false, data.Error ?? "refused", received - resumedAt, null, -1) { ResumedAt = resumedAt };
            }
        }

        if (received < emm.Length)
        {
            return new PushResult(false, $"stopped after {received} of {emm.Length} bytes (the device keeps them: push again to resume)", received - resumedAt, null, -1)
            {
                ResumedAt = resumedAt,
            };
        }

        ShellReply commit = device.Exchange("update commit", timeout);
        return commit.Ok
            ? new PushResult(true, $"the device runs {commit.Field("model")} (crc {commit.Field("modelCrc")}) from slot {commit.Field("modelSlot")}; self-test passed",
                received - resumedAt, commit.Field("modelCrc"), int.Parse(commit.Field("modelSlot") ?? "-1")) { ResumedAt = resumedAt }
            : new PushResult(false, commit.Error ?? "refused", received - resumedAt, null, -1) { ResumedAt = resumedAt };
    }
}
