export * from './shared';
export * from './service';
export * from './spaces';
export * from './park';
export * from './roads';
export * from './deviceList';
export * from './siteList';
export * from './spaceList';
