// Children of the dev launcher exit when told to (SIGTERM/SIGINT) and by themselves when the
// launcher dies (its IPC channel closes), so no process is ever left behind.
export function exitWithParent(stop) {
  let stopping = false;
  const exit = async () => {
    if (stopping) return;
    stopping = true;
    await Promise.resolve(stop()).catch(() => {});
    process.exit(0);
  };
  process.on('SIGTERM', exit);
  process.on('SIGINT', exit);
  process.on('disconnect', exit);
}
