namespace Edge.Micro.Fleet;

/// <summary>
/// The MQTT topics of a fleet (docs/fleet.md, "Topics and payloads"), all under one root: a gateway publishes each
/// device's detections, stats and heartbeat under <c>edge-micro/&lt;device&gt;/</c> and takes commands from
/// <c>edge-micro/&lt;device&gt;/cmd</c>, answering on <c>.../cmd/result</c>.
/// </summary>
public static class FleetTopics
{
    /// <summary>The root of every topic.</summary>
    public const string Root = "edge-micro";

    public static string Detection(string device) => $"{Root}/{device}/detection";

    public static string Stats(string device) => $"{Root}/{device}/stats";

    public static string Heartbeat(string device) => $"{Root}/{device}/heartbeat";

    public static string Command(string device) => $"{Root}/{device}/cmd";

    public static string CommandResult(string device) => $"{Root}/{device}/cmd/result";

    public static string Flag(string device) => $"{Root}/{device}/flag";

    /// <summary>What a dashboard subscribes to: everything every device's gateway publishes.</summary>
    public const string Everything = Root + "/#";

    /// <summary>What a gateway subscribes to: the commands for any device (it keeps those for its own).</summary>
    public const string AllCommands = Root + "/+/cmd";

    /// <summary>The device and the last part of a topic (detection, stats, heartbeat, cmd, result, flag), or null for another topic.</summary>
    public static (string Device, string Kind)? Parse(string topic)
    {
        string[] parts = topic.Split('/');
        if (parts.Length < 3 || parts[0] != Root)
        {
            return null;
        }

        return parts.Length == 4 && parts[2] == "cmd" && parts[3] == "result" ? (parts[1], "result") : parts.Length == 3 ? (parts[1], parts[2]) : null;
    }

    /// <summary>True for a device id usable in a topic: letters, digits, '-', '_' and '.', 1 to 64 of them.</summary>
    public static bool IsDeviceId(string id) =>
        id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
