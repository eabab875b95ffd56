/** Environment variables through which the parent tells a child where and who it is. */
export const Env = {
  socket: 'PROCWIRE_SOCKET',
  id: 'PROCWIRE_ID',
  token: 'PROCWIRE_TOKEN',
} as const;
