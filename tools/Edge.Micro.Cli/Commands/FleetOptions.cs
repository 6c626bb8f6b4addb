using System.CommandLine;

namespace Edge.Micro.Cli.Commands;

/// <summary>Options shared by gateway and fleet.</summary>
public static class FleetOptions
{
    /// <summary>--broker host:port (default 127.0.0.1:1883).</summary>
    public static Option<string> Broker() => new("--broker") { Description = "MQTT broker as host:port (default 127.0.0.1:1883)", DefaultValueFactory = _ => "127.0.0.1:1883" };

    /// <summary>Splits host:port, with a clear error.</summary>
    public static (string Host, int Port) Parse(string broker)
    {
        int colon = broker.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(broker[(colon + 1)..], out int port) || port is < 1 or > 65535)
        {
            throw new CliException($"--broker '{broker}': give host:port, e.g. 127.0.0.1:1883");
        }

        return (broker[..colon], port);
    }
}
