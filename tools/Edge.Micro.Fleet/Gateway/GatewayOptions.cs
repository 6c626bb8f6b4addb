namespace Edge.Micro.Fleet.Gateway;

/// <summary>How a gateway talks to its broker and how often it reports.</summary>
public sealed class GatewayOptions
{
    /// <summary>Broker host (default the loopback).</summary>
    public string BrokerHost { get; init; } = "127.0.0.1";

    /// <summary>Broker port (default 1883).</summary>
    public int BrokerPort { get; init; } = 1883;

    /// <summary>Names this gateway to the broker (its MQTT client id is edge-micro-gateway-&lt;name&gt;).</summary>
    public string Name { get; init; } = Environment.MachineName.ToLowerInvariant();

    /// <summary>How often each device's stats are published (default 10 s).</summary>
    public TimeSpan StatsInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often each device's heartbeat is published (default 5 s).</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long to wait for a device's answer to a console command (default 10 s); a model push waits 30 s per step.</summary>
    public TimeSpan AnswerTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Messages held while the broker is away (default 100,000); past that the oldest are dropped and counted.</summary>
    public int QueueCapacity { get; init; } = 100_000;

    /// <summary>This run of the gateway (its start time in ms): with the sequence number, a message's unique id.</summary>
    public long Session { get; init; } = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
