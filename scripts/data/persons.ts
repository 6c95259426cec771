/**
 * The demo roster: the badge holders of the Keqiao dyeing plants. The simulator's scenarios use
 * W0417, W0523, W0611 (workers) and A0132 (attendant); the others make the roster look like a shift.
 */
import type { Person } from '../../src/contracts';

export const DEMO_PERSONS: Person[] = [
  { id: 'W0417', name: 'Zhang Wei', nameZh: '张伟', role: 'worker', employer: 'Keqiao Pipe Services', employerZh: '柯桥管道疏通服务部' },
  { id: 'W0523', name: 'Li Qiang', nameZh: '李强', role: 'worker', employer: 'Keqiao Pipe Services', employerZh: '柯桥管道疏通服务部' },
  { id: 'W0611', name: 'Wang Jun', nameZh: '王军', role: 'worker', employer: 'Keqiao Pipe Services', employerZh: '柯桥管道疏通服务部' },
  { id: 'W0702', name: 'Chen Gang', nameZh: '陈刚', role: 'worker', employer: 'Huasheng Dyeing', employerZh: '华盛印染' },
  { id: 'W0815', name: 'Zhao Lei', nameZh: '赵磊', role: 'worker', employer: 'Huasheng Dyeing', employerZh: '华盛印染' },
  { id: 'A0132', name: 'Liu Min', nameZh: '刘敏', role: 'attendant', employer: 'Keqiao Pipe Services', employerZh: '柯桥管道疏通服务部' },
  { id: 'A0207', name: 'Sun Hua', nameZh: '孙华', role: 'attendant', employer: 'Huasheng Dyeing', employerZh: '华盛印染' },
  { id: 'S0011', name: 'Zhou Jie', nameZh: '周杰', role: 'supervisor', employer: 'Huasheng Dyeing', employerZh: '华盛印染' },
];
