using Serai.Cli.Commands;

return SeraiCommand.Create().Parse(args).Invoke();
