/** Kept for the channel engine's imports: the channel DTOs are part of the contract (contract/channel-dtos.ts). */
export * from './contract/channel-dtos.js';
