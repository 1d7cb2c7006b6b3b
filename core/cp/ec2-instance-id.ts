/** EC2 ids are `i-` and 8 (legacy) or 17 hex digits; a workspace UUID is not one. */
const EC2_INSTANCE_ID = /^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

export function isEc2InstanceId(value: string): boolean {
  return EC2_INSTANCE_ID.test(value);
}
