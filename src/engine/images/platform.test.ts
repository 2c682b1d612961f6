import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkImagePlatform, formatPlatform, parsePlatform } from './platform.ts';

const host = { os: 'linux', architecture: 'amd64' };

test('platforms normalize as containerd spells them', () => {
  assert.equal(formatPlatform(parsePlatform('linux/x86_64', host)), 'linux/amd64');
  assert.equal(formatPlatform(parsePlatform('arm64', host)), 'linux/arm64');
  assert.equal(formatPlatform(parsePlatform('linux/aarch64/v8', host)), 'linux/arm64');
  assert.equal(formatPlatform(parsePlatform('linux/armhf', host)), 'linux/arm/v7');
  assert.equal(formatPlatform(parsePlatform('Linux', host)), 'linux/amd64');
  assert.throws(() => parsePlatform('bogus/x', host), { message: '"bogus/x": unknown operating system or architecture: invalid argument' });
  assert.throws(() => parsePlatform('linux/amd64/v1/x', host), /unknown operating system/);
});

test('an image of another platform is a 404 that names both', () => {
  checkImagePlatform('busybox', 'linux/x86_64', { os: 'linux', architecture: 'amd64' });
  checkImagePlatform('busybox', 'linux/arm/v7', { os: 'linux', architecture: 'arm' });
  assert.throws(() => checkImagePlatform('busybox', 'linux/arm/v6', { os: 'linux', architecture: 'arm', variant: 'v7' }), {
    message: 'image with reference busybox was found but does not match the specified platform: wanted linux/arm/v6, actual: linux/arm/v7',
  });
  assert.throws(() => checkImagePlatform('busybox', 'windows/amd64', { os: 'linux', architecture: 'amd64' }), (e: Error & { statusCode?: number }) => e.message.includes('wanted windows/amd64, actual: linux/amd64'));
});
