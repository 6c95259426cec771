export * from './limits';
export * from './conditions';
export * from './alarmState';
export * from './stale';
export * from './congestion';
export * from './weather';
export * from './evaluate';
