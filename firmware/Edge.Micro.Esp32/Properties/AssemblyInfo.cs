using System.Reflection;

[assembly: AssemblyTitle("Edge.Micro.Esp32")]
[assembly: AssemblyDescription("Edge.Micro wake-word app for ESP32 boards")]
[assembly: AssemblyProduct("Edge.Micro")]
[assembly: AssemblyVersion("0.1.0.0")]
