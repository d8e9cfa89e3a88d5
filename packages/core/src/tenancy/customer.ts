export interface Customer {
  readonly id: string;
  readonly name: string;
  readonly createdAt: Date;
}
