/**
 * The EventBridge matcher (core/event-pattern.ts) against the examples of the EventBridge user guide: "Creating event
 * patterns" (matching values, arrays, null and empty values), "Content filtering in Amazon EventBridge event patterns"
 * (prefix, suffix, anything-but, equals-ignore-case, exists, wildcard, $or) and "Comparison operators for use in event
 * patterns". Each case is the guide's pattern and event (shortened to the fields that decide), with the guide's verdict.
 */
import { describe, expect, it } from 'vitest';
import { eventPatternSchema, matchesPattern, type EventPattern } from '../../core/event-pattern.ts';

const EC2_EVENT = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
};

const cases: [string, EventPattern, unknown, boolean][] = [
  ['matching values: source and detail-type', { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'] }, EC2_EVENT, true],
  ['a value list is OR', { detail: { state: ['pending', 'terminated'] } }, EC2_EVENT, true],
  ['fields are AND', { source: ['aws.ec2'], detail: { state: ['running'] } }, EC2_EVENT, false],
  [
    'an array in the event matches when the intersection is not empty',
    { resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f', 'arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'] },
    EC2_EVENT,
    true,
  ],
  ['null matches a null value', { responseElements: [null] }, { responseElements: null }, true],
  ['null does not match a missing field', { responseElements: [null] }, { other: 1 }, false],
  ['an empty string matches an empty string', { eventVersion: [''] }, { eventVersion: '' }, true],
  ['prefix', { time: [{ prefix: '2017-10-02' }] }, { time: '2017-10-02T18:43:48Z' }, true],
  ['prefix, other value', { time: [{ prefix: '2017-10-02' }] }, { time: '2017-10-03T18:43:48Z' }, false],
  ['suffix', { FileName: [{ suffix: '.png' }] }, { FileName: 'image.png' }, true],
  ['anything-but a string', { detail: { state: [{ 'anything-but': 'initializing' }] } }, { detail: { state: 'running' } }, true],
  ['anything-but a string, that string', { detail: { state: [{ 'anything-but': 'initializing' }] } }, { detail: { state: 'initializing' } }, false],
  ['anything-but a number', { detail: { 'x-limit': [{ 'anything-but': 123 }] } }, { detail: { 'x-limit': 456 } }, true],
  ['anything-but a list', { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } }, { detail: { state: 'overloaded' } }, false],
  ['anything-but a prefix', { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, { detail: { state: 'initializing' } }, false],
  ['anything-but a prefix, another value', { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, { detail: { state: 'running' } }, true],
  ['anything-but never matches a missing field', { detail: { state: [{ 'anything-but': 'initializing' }] } }, { detail: {} }, false],
  [
    'equals-ignore-case',
    { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] },
    EC2_EVENT,
    true,
  ],
  ['exists: true', { detail: { state: [{ exists: true }] } }, EC2_EVENT, true],
  ['exists: false on a missing field', { detail: { 'c-count': [{ exists: false }] } }, EC2_EVENT, true],
  ['exists: false on a present field', { detail: { state: [{ exists: false }] } }, EC2_EVENT, false],
  ['exists only works on leaf nodes', { detail: [{ exists: true }] }, EC2_EVENT, false],
  ['wildcard', { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] }, { EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/my-bus' }, true],
  ['wildcard, other region', { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] }, { EventBusArn: 'arn:aws:events:us-west-2:123456789012:event-bus/my-bus' }, false],
  ['$or: one branch matches', { detail: { $or: [{ state: ['running'] }, { 'instance-id': ['i-1234567890abcdef0'] }] } }, EC2_EVENT, true],
  ['$or: no branch matches', { detail: { $or: [{ state: ['running'] }, { 'instance-id': ['i-0'] }] } }, EC2_EVENT, false],
  [
    'an array of objects: one element must match the whole nested pattern',
    { target: { type: ['User'], alternateId: ['a@example.com'] } },
    { target: [{ type: 'AppInstance', alternateId: 'a@example.com' }, { type: 'User', alternateId: 'b@example.com' }] },
    false,
  ],
  ['an array of objects: an element that matches', { target: { type: ['User'] } }, { target: [{ type: 'AppInstance' }, { type: 'User' }] }, true],
  ['a string operator does not match a number', { n: [{ prefix: '1' }] }, { n: 12 }, false],
];

describe('matchesPattern, on the EventBridge user guide examples', () => {
  it.each(cases)('%s', (_name, pattern, event, expected) => {
    expect(eventPatternSchema.safeParse(pattern).success).toBe(true);
    expect(matchesPattern(event, pattern)).toBe(expected);
  });
});

describe('eventPatternSchema', () => {
  it.each<[unknown, string]>([
    [{ eventType: [] }, 'an empty value list'],
    [{ eventType: [{ numeric: ['>', 0] }] }, 'an operator this matcher does not implement'],
    [{ $or: [{ a: ['x'] }] }, '$or with one branch'],
    [{ a: [{ b: ['x'] }, { c: ['y'] }] }, 'a list of patterns outside $or'],
  ])('refuses %j (%s)', (pattern, _why) => {
    expect(eventPatternSchema.safeParse(pattern).success).toBe(false);
  });
});
