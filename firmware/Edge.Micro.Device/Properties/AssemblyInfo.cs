using System.Reflection;

[assembly: AssemblyTitle("Edge.Micro.Device")]
[assembly: AssemblyDescription("Edge.Micro device loop and diagnostics shell for .NET nanoFramework")]
[assembly: AssemblyProduct("Edge.Micro")]
[assembly: AssemblyVersion("0.1.0.0")]
[assembly: AssemblyFileVersion("0.1.0.0")]
