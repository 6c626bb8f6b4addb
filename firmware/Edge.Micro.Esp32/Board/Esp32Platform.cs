using Edge.Micro.Device.Platform;
using nanoFramework.Runtime.Native;

namespace Edge.Micro.Esp32.Board
{
    /// <summary>The ESP32 as the device's platform: time, free managed memory, reboot.</summary>
    public sealed class Esp32Platform : IPlatform
    {
        public string FirmwareVersion { get { return "edge-micro-esp32 " + SystemInfo.Version.ToString(); } }

        public long Ticks { get { return System.DateTime.UtcNow.Ticks; } }

        public long FreeMemory { get { return nanoFramework.Runtime.Native.GC.Run(false); } }

        public void Reboot()
        {
            Power.RebootDevice();
        }
    }
}
