export interface User {
  name: string;
}

export const anonymous: User = { name: 'anonymous' };
